import Foundation

/// A customer's message as every connector normalises it: the one shape the router sees.
public struct InboundMessage: Sendable, Hashable, Codable {
    /// The configured source name it came through (`web`, `zd`, ...).
    public var source: String
    /// The platform's id for the conversation.
    public var conversationId: String
    /// `chat`, `email`, `sms`, ...
    public var channel: String
    public var customer: CustomerInfo
    /// The platform's id for the message.
    public var messageId: String
    public var text: String
    public var sentAt: Date
    /// Platform attributes, readable in expressions as `attributes.<key>`.
    public var attributes: [String: Value]

    public init(
        source: String, conversationId: String, channel: String, customer: CustomerInfo,
        messageId: String, text: String, sentAt: Date, attributes: [String: Value] = [:]
    ) {
        self.source = source
        self.conversationId = conversationId
        self.channel = channel
        self.customer = customer
        self.messageId = messageId
        self.text = text
        self.sentAt = sentAt
        self.attributes = attributes
    }
}
