import Crypto

/// A bearer token a desk works with, as the agents file declares it: under an agent (`tokens:`, the
/// agent's own desk) or under a team desk (`desks:`, shared by its agents). The file never holds the
/// token itself: it holds its SHA-256 (`sha256:<64 hex digits>`) or the name of the environment
/// variable that holds it (`env:SWITCHBOARD_DESK_ANA`).
public struct DeskTokenSettings: Sendable, Equatable {
    /// `ana/1`, `billing-team/2`: the agent or desk and the token's place in its list. Names the token in
    /// audit trails and logs.
    public var id: String
    /// The agents the token acts for.
    public var agents: [String]
    /// The SHA-256 of the token, in lower-case hex.
    public var digest: String

    public init(id: String, agents: [String], digest: String) {
        self.id = id
        self.agents = agents
        self.digest = digest
    }

    /// `sha256:` and the hex digits of `token`'s SHA-256: the form the agents file takes.
    public static func hashed(_ token: String) -> String {
        "sha256:" + digest(token: token)
    }

    /// The hex digits a `sha256:` value names, lower-cased; nil unless they are 64 hex digits.
    static func digest(hex: Substring) -> String? {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }) else { return nil }
        return hex.lowercased()
    }

    /// The SHA-256 of `token`, in lower-case hex: how a presented token is looked up.
    public static func digest(token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
