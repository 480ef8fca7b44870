import ArgumentParser
import StandardWebhooks
import SwitchboardConfig

/// `switchboard secret`: a fresh secret of 32 random bytes, strong enough for everything start-up
/// checks: `whsec_…` for a `standard` source or a desk, `--token` for admin and viewer tokens,
/// email passwords and path tokens, `--desk` for a desk token with the `sha256:` form the agents file takes.
struct Secret: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a fresh secret: whsec_… for a standard source or a desk; --token for tokens and passwords.")

    @Flag(help: "A plain token (base64url, 43 characters) instead of a whsec_ secret.") var token = false
    @Flag(help: "A desk token, and below it the sha256: line the agents file takes for it (tokens: [...]).")
    var desk = false

    func run() {
        let secret = WebhookSecret.generate()
        guard token || desk else {
            print(secret.stringValue)
            return
        }
        let plain = secret.tokenValue
        print(plain)
        if desk { print(DeskTokenSettings.hashed(plain)) }
    }
}
