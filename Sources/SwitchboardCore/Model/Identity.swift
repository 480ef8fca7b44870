import Foundation

/// One way of recognising a customer: an email address, a phone number, or a user id at one source.
public struct Identity: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case email
        case phone
        /// `source:id`, because ids from different sources are unrelated.
        case sourceUser = "source_user"
    }

    public var kind: Kind
    /// Normalised value: emails lower-cased, source ids prefixed by their source.
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind.rawValue):\(value)" }

    /// An email address compared case-insensitively: trimmed and lower-cased. It must hold an `@` and no
    /// space, looked for among Unicode scalars (an `@` followed by a combining mark still counts).
    public static func email(_ address: String) -> Identity? {
        let trimmed = address.trimmingCharacters(in: .whitespaces).lowercased()
        guard trimmed.unicodeScalars.contains("@"), !trimmed.unicodeScalars.contains(" ") else { return nil }
        return Identity(kind: .email, value: trimmed)
    }

    /// A phone number in E.164 (`+` then 8 to 15 digits), from a number written with spaces, dots,
    /// dashes or brackets, or with `00` for `+`. Nil for anything else (a local number has no country).
    public static func phone(_ number: String) -> Identity? {
        var digits = ""
        var plus = false
        for character in number.trimmingCharacters(in: .whitespaces) {
            if character == "+", digits.isEmpty, !plus {
                plus = true
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !" .-()/".contains(character) {
                return nil
            }
        }
        if !plus, digits.hasPrefix("00") {
            plus = true
            digits.removeFirst(2)
        }
        guard plus, (8...15).contains(digits.count), digits.first != "0" else { return nil }
        return Identity(kind: .phone, value: "+" + digits)
    }

    /// `email:ana@example.com`, `phone:+14155550100`, `source_user:web:u-42`, the form `description` writes.
    /// Colons are found among Unicode scalars, so a combining mark after one does not hide it.
    public init?(parsing text: String) {
        let scalars = text.unicodeScalars
        guard let colon = scalars.firstIndex(of: ":"), let kind = Kind(rawValue: String(scalars[..<colon])) else {
            return nil
        }
        let value = String(scalars[scalars.index(after: colon)...])
        switch kind {
        case .email: guard let identity = Identity.email(value) else { return nil }; self = identity
        case .phone: guard let identity = Identity.phone(value) else { return nil }; self = identity
        case .sourceUser:
            let scalars = value.unicodeScalars
            guard let separator = scalars.firstIndex(of: ":"), separator != scalars.startIndex,
                scalars.index(after: separator) != scalars.endIndex
            else { return nil }
            self.init(kind: .sourceUser, value: value)
        }
    }

    /// For a source user id, the source it belongs to (`web` in `web:u-42`).
    public var source: String? {
        let scalars = value.unicodeScalars
        guard kind == .sourceUser, let colon = scalars.firstIndex(of: ":") else { return nil }
        return String(scalars[..<colon])
    }
}
