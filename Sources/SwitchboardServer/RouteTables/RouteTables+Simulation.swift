import Foundation
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardStore

/// Which table a simulation runs against.
enum TableChoice: String, Sendable, CaseIterable {
    case published, draft
}

extension RouteTables {
    /// The decision `table` would make now for a conversation whose first message is `body`, an inbound body
    /// in the format of the source `sourceName` (by default the only source, or the first `standard` one).
    /// The signature is not checked and nothing is stored or changed.
    func simulate(body: [UInt8], sourceName: String?, table choice: TableChoice, now: Date = Date()) async throws
        -> RouteSimulation
    {
        let (table, version) = try await table(choice)
        let source = try source(named: sourceName)
        let message: InboundMessage
        do {
            message = try source.connector.message(from: body, source: source.name, receivedAt: now)
        } catch {
            throw RouteTablesError.unprocessable("the body is not a \(source.kind.rawValue) message: \(error)")
        }
        let decision = RoutingEngine.simulate(
            message, table: table, agents: try await store.agentSnapshots(), now: now)
        return RouteSimulation(
            table: choice.rawValue, version: version,
            message: .init(
                source: source.name, conversationId: message.conversationId, channel: message.channel, text: message.text,
                customer: message.customer),
            decision: decision)
    }

    /// Runs the draft and the published table against the `last` most recently started conversations (their
    /// latest customer message), on the agents as they are now, so that the table is the only difference;
    /// reports those that would route differently.
    func replay(last: Int, now: Date = Date()) async throws -> ReplayReport {
        guard (1...Self.replayLimit).contains(last) else {
            throw RouteTablesError.unprocessable("last must be 1 to \(Self.replayLimit), found \(last)")
        }
        let (draft, base) = try await table(.draft)
        let (published, version) = try await table(.published)
        let agents = try await store.agentSnapshots()
        let conversations = try await store.recentConversations(limit: last)
        var changes: [ReplayReport.Change] = []
        for conversation in conversations {
            let before = RoutingEngine.simulate(
                conversation.message, table: published, agents: agents, previousAgentId: conversation.previousAgentId,
                now: now)
            let after = RoutingEngine.simulate(
                conversation.message, table: draft, agents: agents, previousAgentId: conversation.previousAgentId,
                now: now)
            guard before.route != after.route || before.agent != after.agent || before.outcome != after.outcome
                || before.requirements != after.requirements
            else { continue }
            changes.append(
                ReplayReport.Change(
                    conversationId: conversation.id, startedAt: conversation.startedAt,
                    text: String(conversation.message.text.prefix(200)), before: Self.outcome(before),
                    after: Self.outcome(after), why: Self.why(before: before, after: after)))
        }
        return ReplayReport(
            publishedVersion: version, draftBaseVersion: base, considered: conversations.count, changed: changes.count,
            changes: changes)
    }

    private static func outcome(_ decision: Decision) -> ReplayReport.Outcome {
        ReplayReport.Outcome(
            outcome: decision.outcome.rawValue, route: decision.route, agent: decision.agent,
            requirements: decision.requirements, summary: decision.summary)
    }

    /// Why a conversation routes differently: the route, the requirements, and what became of the agent.
    static func why(before: Decision, after: Decision) -> [String] {
        var why: [String] = []
        if before.route != after.route {
            why.append("route \(before.route.map { "\"\($0)\"" } ?? "none") → \(after.route.map { "\"\($0)\"" } ?? "none")")
        }
        if before.requirements != after.requirements {
            why.append("requires \(describe(before.requirements)) → \(describe(after.requirements))")
        }
        if before.agent != after.agent {
            if let agent = before.agent, let exclusion = after.excluded.first(where: { $0.agent == agent }) {
                why.append("\(agent) no longer qualifies: \(exclusion.reasons.joined(separator: ", "))")
            }
            why.append(after.agent.map { "\($0): \(after.summary)" } ?? after.summary)
        } else if before.outcome != after.outcome {
            why.append(after.summary)
        }
        return why
    }

    /// `billing 3, refund_limit 300` or `nothing`.
    private static func describe(_ requirements: ResolvedRequirements?) -> String {
        guard let requirements else { return "nothing (no route)" }
        let skills = requirements.skills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let authority = requirements.authority.sorted { $0.key < $1.key }.map { name, grant in
            grant.minimum.map { "\(name) ≥ \($0.formatted(.number.grouping(.never)))" } ?? name
        }
        let all = skills + authority
        return all.isEmpty ? "nothing" : all.joined(separator: ", ")
    }

    /// The table chosen, with its version (for a draft, the version it was started from).
    func table(_ choice: TableChoice) async throws -> (RoutingTable, Int) {
        switch choice {
        case .published:
            return (dispatcher.table, try await published().version)
        case .draft:
            guard let draft = try await store.routeDraft() else { throw RouteTablesError.noDraft }
            return (try table(of: draft.files), draft.baseVersion)
        }
    }

    private func source(named name: String?) throws -> InboundSource {
        if let name {
            guard let source = sources.byName[name] else {
                throw RouteTablesError.unknownSource(
                    "unknown source \"\(name)\"; configured: \(sources.byName.keys.sorted().joined(separator: ", "))")
            }
            return source
        }
        let all = sources.byName.values.sorted { $0.name < $1.name }
        if all.count == 1 { return all[0] }
        if let standard = all.first(where: { $0.kind == .standard }) { return standard }
        throw RouteTablesError.badRequest(
            "name the source whose body format this is with ?source= (configured: \(all.map(\.name).joined(separator: ", ")))")
    }
}
