import Foundation
import Hummingbird
import SwitchboardStore

/// The admin page's desk tokens: create one (shown once, on the page the form answers with) and revoke one.
extension AdminController {
    @Sendable func createDeskToken(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let agents = context.form.pairs.filter { $0.name == "agents" && !$0.value.isEmpty }.map(\.value)
        do {
            let (record, token) = try await deskTokens.issue(
                agents: agents, label: context.form["label"], actor: session.value.actor)
            logger.info(
                "desk token created on the admin page",
                metadata: ["actor": "\(session.value.actor)", "token_id": "\(record.id)", "agents": "\(record.agents)"])
            let issued = DeskTokensView.Issued(id: record.id, token: token, agents: record.agents.joined(separator: ", "))
            return pages.render("admin", try await pageView(session: session, issued: issued))
        } catch let error as HTTPError {
            return try await back(session, .init(kind: .error, text: "No desk token created: " + (error.body ?? "")), to: "desk-tokens")
        }
    }

    @Sendable func revokeDeskToken(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let id = context.form["id"] ?? ""
        do {
            let record = try await deskTokens.revoke(id: id)
            logger.info("desk token revoked on the admin page", metadata: ["actor": "\(session.value.actor)", "token_id": "\(id)"])
            return try await back(
                session, .init(kind: .success, text: "Revoked desk token \(record.id): every instance refuses it now."),
                to: "desk-tokens")
        } catch let error as HTTPError {
            return try await back(session, .init(kind: .error, text: "Not revoked: " + (error.body ?? "")), to: "desk-tokens")
        }
    }
}

/// The desk tokens section: every token with its agents and last use, the form to create one, and the one
/// just created (its only showing).
struct DeskTokensView {
    var rows: [Row]
    var empty: Bool
    /// The agents a new token may act for.
    var agents: [String]
    var issued: Issued?

    struct Row {
        var id: String
        var agents: String
        var label: String
        var origin: String
        var created: String?
        var lastUsed: String?
        var revoked: String?
        /// Whether the page offers to revoke it: one created here and working.
        var revocable: Bool
    }

    struct Issued {
        var id: String
        var token: String
        var agents: String
    }

    init(declared: [DeskTokenSettingsRow], stored: [DeskTokenRecord], agents: [String], issued: Issued?) {
        rows =
            declared.map {
                Row(id: $0.id, agents: $0.agents, label: "", origin: "agents file", revocable: false)
            }
            + stored.map {
                Row(
                    id: $0.id, agents: $0.agents.joined(separator: ", "), label: $0.label, origin: "admin",
                    created: AdminFormat.time($0.createdAt), lastUsed: $0.lastUsedAt.map(AdminFormat.time),
                    revoked: $0.revokedAt.map(AdminFormat.time), revocable: $0.revokedAt == nil)
            }
        empty = rows.isEmpty
        self.agents = agents
        self.issued = issued
    }

    /// A token of the agents file, as the section lists it.
    struct DeskTokenSettingsRow {
        var id: String
        var agents: String
    }
}
