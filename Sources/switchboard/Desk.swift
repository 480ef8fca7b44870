import ArgumentParser
import Foundation
import Hummingbird
import Logging
import StandardWebhooks
import SwitchboardServer

/// `switchboard desk`: a tiny receiver that verifies each handoff's signature and prints it.
struct Desk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive handoffs like an agent's desk would: verify the signature and print each one.")

    @Option(help: "The port to listen on.")
    var port = 9001

    @Option(help: "The desk's whsec_ secret (as in Config/agents.yaml); or set SWITCHBOARD_DESK_SECRET.")
    var secret: String?

    func run() async throws {
        guard let text = secret ?? ProcessInfo.processInfo.environment["SWITCHBOARD_DESK_SECRET"] else {
            throw ValidationError("give the desk's secret with --secret whsec_... or SWITCHBOARD_DESK_SECRET")
        }
        let receiver = DeskReceiver(secret: try WebhookSecret(text))
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
        }
        try await app.runService()
    }
}

/// Writes a line to standard output at once, unbuffered, so a piped desk shows each handoff as it arrives.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
