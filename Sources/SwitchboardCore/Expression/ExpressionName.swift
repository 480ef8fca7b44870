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
    /// Where a routing table keeps this name's value for the message being routed, so that the
    /// table's conditions read it from an array instead of looking it up again for every route. Set
    /// when the table is built; nil elsewhere.
    public internal(set) var slot: Int?

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

    /// Names are equal when they are written the same, whatever their slot.
    public static func == (a: ExpressionName, b: ExpressionName) -> Bool { a.raw == b.raw }

    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
