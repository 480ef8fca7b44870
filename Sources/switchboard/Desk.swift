import ArgumentParser
import Curl
import Foundation
import Hummingbird
import Logging
import StandardWebhooks
import SwitchboardServer

/// `switchboard desk`: a tiny receiver that verifies each handoff's signature and prints it; with
/// `--accept`, it accepts each offer through the API with the desk's own token, as a real desk would.
struct Desk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive handoffs like an agent's desk would: verify the signature and print each one.")

    @Option(help: "The port to listen on.")
    var port = 9001

    @Option(help: "The desk's whsec_ secret (as in Config/agents.yaml); or set SWITCHBOARD_DESK_SECRET.")
    var secret: String?

    @Flag(help: "Accept each offer through the API with the desk's token (--token).")
    var accept = false

    @Option(help: "The desk's token, whose sha256: the agent's tokens list in Config/agents.yaml; or set SWITCHBOARD_DESK_TOKEN.")
    var token: String?

    @Option(help: "Switchboard's base URL, for --accept.")
    var server = "http://127.0.0.1:8080"

    func run() async throws {
        guard let text = secret ?? ProcessInfo.processInfo.environment["SWITCHBOARD_DESK_SECRET"] else {
            throw ValidationError("give the desk's secret with --secret whsec_... or SWITCHBOARD_DESK_SECRET")
        }
        let receiver = DeskReceiver(secret: try WebhookSecret(text))
        let token = self.token ?? ProcessInfo.processInfo.environment["SWITCHBOARD_DESK_TOKEN"]
        if accept, token == nil {
            throw ValidationError("--accept needs the desk's token: --token ... or SWITCHBOARD_DESK_TOKEN")
        }
        let acceptor = accept ? token.map { OfferAcceptor(server: server, token: $0) } : nil
        var logger = Logger(label: "switchboard.desk")
        logger.logLevel = .warning
        let app = receiver.application(port: port, logger: logger, onServerRunning: { port in
            say("desk listening on http://127.0.0.1:\(port)/handoffs; signatures verified")
        }) { delivery in
            let pretty = (try? JSONSerialization.data(
                withJSONObject: JSONSerialization.jsonObject(with: Data(delivery.body)),
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: delivery.body, as: UTF8.self)
            say("── \(delivery.webhookId) (signature ok) ──\n\(pretty)")
            if let acceptor, let handoff = OfferAcceptor.handoffId(of: delivery.body) {
                Task { say(await acceptor.accept(handoff)) }
            }
        }
        try await app.runService()
    }
}

/// Writes a line to standard output at once, unbuffered, so a piped desk shows each handoff as it arrives.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Accepts offers as a desk does: `POST /v1/handoffs/{id}/accept` with the desk's own bearer token.
struct OfferAcceptor: Sendable {
    let server: String
    let token: String
    let client = CurlClient()

    /// The handoff id of a delivery that offers a conversation (`kind: handoff`); nil for notices.
    static func handoffId(of body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            object["kind"] as? String == "handoff"
        else { return nil }
        return object["handoff_id"] as? String
    }

    /// What the server answered, as a line to print.
    func accept(_ handoffId: String) async -> String {
        let request = CurlRequest(
            method: "POST", url: "\(server)/v1/handoffs/\(handoffId)/accept", headers: [HTTPHeader("Authorization", "Bearer \(token)")])
        do {
            let response = try await client.execute(request)
            return "accept \(handoffId): \(response.status) \(String(decoding: response.body, as: UTF8.self))"
        } catch {
            return "accept \(handoffId): \(error)"
        }
    }
}
