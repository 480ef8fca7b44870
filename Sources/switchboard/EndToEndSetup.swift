import Foundation
import StandardWebhooks

/// The files of one end-to-end step, written into its own directory: the routing table, the agents (desks
/// at the bench's desk), and the configuration `switchboard serve --config` reads.
struct EndToEndSetup {
    let directory: URL
    let sourceSecret: WebhookSecret
    let deskSecret: WebhookSecret
    let adminToken: String

    var configPath: String { directory.appendingPathComponent("switchboard.yaml").path }
    var routesPath: String { directory.appendingPathComponent("routes").path }
    var agentsPath: String { directory.appendingPathComponent("agents.yaml").path }

    /// The bench's routing table: refunds need billing 3 and the amount as refund limit (the authority
    /// share: half the agents have 1,000, half 100), everything else any agent with general 1.
    static let routingTable = #"""
        # The end-to-end bench's table (switchboard bench e2e).
        facts:
          amount: {extract: '\$\s?([0-9]+(?:\.[0-9]+)?)', as: number}
          intent:
            - {when: 'text matches "(?i)refund|charged twice|money back"', value: refund}
        routes:
          - name: refunds
            when: 'intent == "refund"'
            require:
              skills: {billing: 3}
              authority: {refund_limit: amount}
            priority: {base: 1, when: 'customer.tier == "gold"', add: 5}
            offer_timeout: 30s
          - name: general
            require: {skills: {general: 1}}
            offer_timeout: 30s

        """#

    /// Writes the routing table and the agents: `agents` of them, online, with `capacity` chats each (so that
    /// nobody waits for a free slot), every other one with a refund limit of 1,000, the rest 100.
    func writeTableAndAgents(agents: Int, capacity: Int, deskPort: Int) throws {
        try FileManager.default.createDirectory(atPath: routesPath, withIntermediateDirectories: true)
        try Self.routingTable.write(toFile: routesPath + "/bench.yaml", atomically: true, encoding: .utf8)
        var text = "agents:\n"
        for index in 1...agents {
            text += "  - {id: agent-\(index), name: Agent \(index), status: online, skills: {billing: 4, general: 3}, "
            text += "authority: {refund_limit: \(index % 2 == 0 ? 1000 : 100)}, capacity: {chat: \(capacity), email: \(capacity)}, "
            text += "desk: {url: \"http://127.0.0.1:\(deskPort)/handoffs\", secret: \"\(deskSecret.stringValue)\"}}\n"
        }
        try text.write(toFile: agentsPath, atomically: true, encoding: .utf8)
    }

    /// Writes the configuration: the SQLite store in `store/`, or the PostgreSQL database `postgres`; the
    /// product's defaults otherwise (delivery, memory, inbound).
    func writeConfiguration(postgres: String?, logLevel: String) throws {
        let storage: String
        if let postgres {
            storage = "{postgres: \"\(postgres)\"}"
        } else {
            let store = directory.appendingPathComponent("store")
            try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
            storage = "{sqlite: \"\(store.appendingPathComponent("switchboard.db").path)\"}"
        }
        let text = """
            # switchboard bench e2e: one step's server configuration.
            server: {host: 127.0.0.1, port: 8080}   # SWITCHBOARD_SERVER_PORT gives each instance its own
            storage: \(storage)
            routes: "\(routesPath)"
            agents: "\(agentsPath)"
            admin_tokens: ["\(adminToken)"]
            log_level: \(logLevel)
            sources:
              - {name: web, kind: standard, secret: "\(sourceSecret.stringValue)"}

            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Enough chat slots per agent that the whole plan fits twice over, at least 10, at most the product's 10,000.
    static func capacity(conversations: Int, agents: Int) -> Int {
        min(10_000, max(10, 2 * conversations / max(1, agents) + 10))
    }
}
