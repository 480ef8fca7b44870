/// A dotted name as an expression reads it, sorted at parse time into what it refers to, so that
/// evaluating it per message does no string matching.
public struct ExpressionName: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case text, channel, source, customerId, customerName, customerEmail, customerPhone
        /// `attributes.<key>`.
        case attribute(String)
        /// `customer.<trait>`, read from the attributes (platforms send traits such as tier there).
        case customerTrait(String)
        /// Anything else: a fact, or unknown.
        case other
    }

    /// The full dotted name as written.
    public let raw: String
    public let kind: Kind

    public init(_ raw: String) {
        self.raw = raw
        switch raw {
        case "text": kind = .text
        case "channel": kind = .channel
        case "source": kind = .source
        case "customer.id": kind = .customerId
        case "customer.name": kind = .customerName
        case "customer.email": kind = .customerEmail
        case "customer.phone": kind = .customerPhone
        default:
            if raw.hasPrefix("attributes.") {
                kind = .attribute(String(raw.dropFirst("attributes.".count)))
            } else if raw.hasPrefix("customer.") {
                kind = .customerTrait(String(raw.dropFirst("customer.".count)))
            } else {
                kind = .other
            }
        }
    }

    public var description: String { raw }
}
