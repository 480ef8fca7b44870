import NetworkPolicy
import StandardWebhooks

/// What a secret Switchboard checks must be: a source's signing secret, an inbound email's password
/// or path token, an admin or viewer token, a desk's secret. Problems name the setting, never the value.
enum SecretRule {
    /// The fewest characters of a secret written as text: 24 (16 random bytes in base64).
    static let minimumCharacters = 24
    /// The fewest bytes of a `whsec_` key.
    static let minimumKeyBytes = 16
    /// How to get a good one, for messages.
    static let advice = "`switchboard secret` prints a fresh one"

    /// The secrets shipped in Config/ for the quick start: allowed only where nothing but this machine
    /// can reach them (the server on loopback, a desk on loopback).
    static let demoValues: Set<String> = [
        "demo-admin-token-loopback-only", "demo-viewer-token-loopback-only",
        "whsec_4QxSqGakjJI03OrpXOiXdRiRHKoJb8fJMNvZqCZwkA0=",
        "whsec_mmcxXWX5MRHVmuInCVFMH0vN0iHVJpo9Qmi8rz8vUuw=", "whsec_SZVgCIxUq6yUcu7vbeYs72ovsKCKk4tltqbwk491/y8=",
        "demo-desk-token-ana-loopback-only", "demo-desk-token-ben-loopback-only",
    ]

    /// The SHA-256 of each demo value, as a desk token in the agents file is written.
    static let demoDigests = Set(demoValues.map(DeskTokenSettings.digest(token:)))

    /// Why `value`, a secret written as text, is too weak; nil when it is long enough.
    static func problem(_ value: String) -> String? {
        let count = value.trimmingCharacters(in: .whitespaces).count
        if count == 0 { return "is empty; \(advice)" }
        if count < minimumCharacters {
            return "is \(count) characters, fewer than \(minimumCharacters); \(advice)"
        }
        return nil
    }

    /// Why `value`, a `whsec_` secret, is too weak; nil when its key has enough bytes (or it is not
    /// a `whsec_` secret at all, which is reported on its own).
    static func keyProblem(_ value: String) -> String? {
        guard let secret = try? WebhookSecret(value) else { return nil }
        let bytes = secret.keyByteCount
        return bytes < minimumKeyBytes ? "has a key of \(bytes) bytes, fewer than \(minimumKeyBytes); \(advice)" : nil
    }

    /// Whether `host` is reachable from this machine only.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Whether `url`'s host is this machine (`http://127.0.0.1:9001/handoffs`).
    static func isLoopback(url: String) -> Bool {
        OutboundPolicy.host(ofURL: url).map { isLoopback($0) } ?? false
    }
}
