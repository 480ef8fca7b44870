import Foundation

/// What an email's own headers say about its sender: whether SPF or DKIM passed (or DMARC) for a
/// domain aligned with the `From:` address, as the receiving server recorded it.
///
/// Read from the topmost `Authentication-Results` (RFC 8601) and `Received-SPF` (RFC 7208) fields:
/// the receiving server adds its own above what the message arrived with, and a sender can write
/// any field below it. Alignment is relaxed, as DMARC's: the authenticated domain is the `From:`
/// domain, or one is a subdomain of the other (without the public suffix list, so `co.uk` siblings
/// are not told apart).
public struct SenderVerification: Sendable, Equatable {
    /// Whether a check passed for a domain aligned with `From:`.
    public var verified: Bool
    /// What decided it, for the handoff and the log: `dkim=pass header.d=example.com`, or why not.
    public var evidence: String

    public init(verified: Bool, evidence: String) {
        self.verified = verified
        self.evidence = evidence
    }

    /// The verdict for a sender at `fromDomain`, given the values of the message's
    /// `Authentication-Results` and `Received-SPF` fields in order, topmost first.
    public static func judge(
        fromDomain: String, authenticationResults: [String], receivedSPF: [String]
    ) -> SenderVerification {
        let from = fromDomain.lowercased()
        if let results = authenticationResults.first {
            for result in Self.results(results) where result.value == "pass" {
                let domain: String?
                switch result.method {
                case "dmarc": domain = result.properties["header.from"]
                case "dkim": domain = result.properties["header.d"] ?? result.properties["header.i"].map(Self.domain)
                case "spf": domain = (result.properties["smtp.mailfrom"] ?? result.properties["smtp.helo"]).map(Self.domain)
                default: domain = nil
                }
                if let domain, Self.aligned(domain, from) {
                    return SenderVerification(verified: true, evidence: "\(result.method)=pass for \(domain)")
                }
            }
        }
        if let spf = receivedSPF.first, spf.split(separator: " ").first?.lowercased() == "pass",
            let envelope = Self.parameter("envelope-from", in: spf).map(Self.domain), Self.aligned(envelope, from)
        {
            return SenderVerification(verified: true, evidence: "spf=pass for \(envelope) (Received-SPF)")
        }
        return SenderVerification(verified: false, evidence: "no SPF, DKIM or DMARC pass for \(from)")
    }

    /// The server that wrote an `Authentication-Results` value: its first word, before any `;`,
    /// comments left out, lower-cased.
    static func authservId(of field: String) -> String {
        let head = withoutComments(field).split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return Self.words(head).first.map { $0.lowercased() } ?? ""
    }

    /// A field's text without its comments (parenthesised, nested, outside quotes). Linear in its length.
    static func withoutComments(_ field: String) -> String {
        var text = ""
        var depth = 0
        var quoted = false
        for character in field {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == "(" { depth += 1; continue }
            if !quoted, character == ")", depth > 0 { depth -= 1; continue }
            if depth == 0 { text.append(character) }
        }
        return text
    }

    /// The words of a field, split at whitespace.
    static func words(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
    }

    /// Whether `domain` is `from`, or one is a subdomain of the other.
    static func aligned(_ domain: String, _ from: String) -> Bool {
        let domain = domain.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !domain.isEmpty, !from.isEmpty else { return false }
        return domain == from || from.hasSuffix("." + domain) || domain.hasSuffix("." + from)
    }

    /// The domain of `user@domain`, or the text itself.
    static func domain(_ address: String) -> String {
        let trimmed = address.trimmingCharacters(in: CharacterSet(charactersIn: "<>\" "))
        return trimmed.split(separator: "@").last.map(String.init)?.lowercased() ?? trimmed.lowercased()
    }

    /// One `method=result` with its `ptype.property=value` pairs.
    struct Result: Equatable {
        var method: String
        var value: String
        var properties: [String: String]
    }

    /// The results of one `Authentication-Results` value: `authserv-id; method=result props; …`,
    /// comments in parentheses left out. Linear in the value's length.
    static func results(_ field: String) -> [Result] {
        withoutComments(field).split(separator: ";").dropFirst().compactMap { part in
            let words = Self.words(part)
            guard let first = words.first, let equals = first.firstIndex(of: "=") else { return nil }
            var properties: [String: String] = [:]
            for word in words.dropFirst() {
                guard let sign = word.firstIndex(of: "=") else { continue }
                properties[word[..<sign].lowercased()] = String(word[word.index(after: sign)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            return Result(
                method: first[..<equals].lowercased(), value: first[first.index(after: equals)...].lowercased(),
                properties: properties)
        }
    }

    /// `name=value` in a `Received-SPF` field's key-value list.
    static func parameter(_ name: String, in field: String) -> String? {
        for part in field.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" }).last.map { $0.lowercased() }
            if key == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
        }
        return nil
    }
}
