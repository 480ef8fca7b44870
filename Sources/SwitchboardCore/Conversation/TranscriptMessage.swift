import Foundation

/// One message of a conversation's transcript.
public struct TranscriptMessage: Sendable, Hashable, Codable {
    public var id: String
    /// `customer`, or `switchboard` for the notice that opens a promise's follow-up.
    public var from: String
    public var text: String
    public var sentAt: Date

    public init(id: String, from: String = "customer", text: String, sentAt: Date) {
        self.id = id
        self.from = from
        self.text = text
        self.sentAt = sentAt
    }

    enum CodingKeys: String, CodingKey {
        case id, from, text
        case sentAt = "sent_at"
    }
}
