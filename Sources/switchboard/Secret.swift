import ArgumentParser
import StandardWebhooks

/// `switchboard secret`: a fresh secret of 32 random bytes, strong enough for everything start-up
/// checks: `whsec_…` for a `standard` source or a desk, `--token` for admin and viewer tokens,
/// email passwords and path tokens.
struct Secret: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a fresh secret: whsec_… for a standard source or a desk; --token for tokens and passwords.")

    @Flag(help: "A plain token (base64url, 43 characters) instead of a whsec_ secret.") var token = false

    func run() {
        let secret = WebhookSecret.generate().stringValue
        guard token else {
            print(secret)
            return
        }
        let base64 = secret.dropFirst("whsec_".count)
        print(String(base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").prefix { $0 != "=" }))
    }
}
