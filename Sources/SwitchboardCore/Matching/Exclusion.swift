/// An agent who was considered and not eligible, with every reason in words (`Ineligibility`), as a
/// decision records and shows them.
public struct Exclusion: Sendable, Hashable, Codable {
    public var agent: String
    /// E.g. `offline`, `at capacity for chat (3/3)`, `billing 2 < 3`, `refund_limit 50 < 300`.
    public var reasons: [String]

    public init(agent: String, reasons: [String]) {
        self.agent = agent
        self.reasons = reasons
    }
}
