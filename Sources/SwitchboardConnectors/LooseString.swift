/// A JSON string or number read as a string: platforms write the same id both ways (Zendesk's
/// webhooks send `"id": "35436"`, its API `"id": 35436`; Help Scout's ids are numbers).
struct LooseString: Decodable, Sendable, Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else if let number = try? container.decode(Double.self), number.isFinite {
            value = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        } else {
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string or a number"))
        }
    }

    /// The value without surrounding whitespace, or nil when nothing is left.
    var nonEmpty: String? { Optional(value).nonBlank }
}

extension Optional where Wrapped == String {
    /// The string without surrounding whitespace, or nil when absent or blank.
    var nonBlank: String? {
        guard let trimmed = self?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
