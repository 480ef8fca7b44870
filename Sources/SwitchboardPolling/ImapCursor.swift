/// Where an IMAP source has got to: the mailbox's UIDVALIDITY and the last UID taken, stored as
/// `"{uidvalidity}:{last uid}"`.
public struct ImapCursor: Sendable, Equatable, CustomStringConvertible {
    public var uidValidity: UInt64
    public var lastUID: UInt64

    public init(uidValidity: UInt64, lastUID: UInt64) {
        self.uidValidity = uidValidity
        self.lastUID = lastUID
    }

    /// Reads `"{uidvalidity}:{last uid}"`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let validity = UInt64(parts[0]), let last = UInt64(parts[1]) else { return nil }
        self.init(uidValidity: validity, lastUID: last)
    }

    public var description: String { "\(uidValidity):\(lastUID)" }
}
