import Foundation

/// Decides, without any I/O, what happens to a conversation: a new offer, a wait, or a follow-up to its agent.
public struct RoutingPlanner: Sendable {
    public var table: RoutingTable
    public var matcher: Matcher
    private let makeId: @Sendable (String) -> String

    /// - Parameter makeId: makes a unique id with the given prefix (`ho_`, `msg_`); injectable for tests.
    public init(
        table: RoutingTable, matcher: Matcher = Matcher(),
        makeId: @escaping @Sendable (String) -> String = { prefix in
            prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        }
    ) {
        self.table = table
        self.matcher = matcher
        self.makeId = makeId
    }

    public func plan(_ input: RoutingInput) -> RoutingPlan {
        if input.conversation.status == .assigned, let agentId = input.conversation.agentId,
            let handoffId = input.conversation.handoffId
        {
            return .followUp(followUp(input, agentId: agentId, handoffId: handoffId))
        }
        let waitedMs = Self.waitedMs(since: input.conversation.waitingSince ?? input.message.sentAt, now: input.now)
        guard let match = table.match(input.message) else {
            return .wait(
                Decision(
                    at: input.now, outcome: .noRoute, trigger: input.trigger, route: nil,
                    facts: table.facts(for: input.message), requirements: nil,
                    why: ["no route applies to this conversation"], waitedMs: waitedMs))
        }
        let outcome = matcher.match(
            agents: input.agents, requirements: match.requirements, channel: input.conversation.channel,
            previousAgentId: input.previousAgentId)
        var decision = Decision(
            at: input.now, outcome: .waiting, trigger: input.trigger, route: match.route, facts: match.facts,
            requirements: match.requirements, candidates: outcome.candidates, eligible: outcome.eligible,
            excluded: outcome.excluded, waitedMs: waitedMs)
        guard let chosen = outcome.chosen else {
            decision.why = ["no eligible agent; waiting for one to become available"]
            return .wait(decision)
        }
        decision.outcome = .assigned
        decision.agent = chosen.agent.id
        decision.why = outcome.why
        let handoffId = makeId("ho_")
        let packet = HandoffPacket(
            schemaVersion: HandoffPacket.currentSchemaVersion, kind: "handoff", handoffId: handoffId,
            agent: .init(id: chosen.agent.id, name: chosen.agent.name),
            conversation: .init(
                id: input.conversation.id, source: input.conversation.source,
                externalId: input.conversation.externalId, channel: input.conversation.channel,
                startedAt: input.conversation.startedAt, messages: input.transcript,
                attributes: input.conversation.attributes),
            customer: .init(id: input.customer.id, name: input.customer.name, identities: input.customer.identities),
            history: input.history,
            routing: .init(
                route: match.route, requirements: match.requirements, facts: match.facts, why: outcome.why,
                waitedMs: waitedMs, transfers: input.conversation.transfers))
        return .assign(
            Assignment(
                handoffId: handoffId, agentId: chosen.agent.id, channel: input.conversation.channel,
                decision: decision,
                delivery: OutboundDelivery(
                    id: handoffId, agentId: chosen.agent.id, handoffId: handoffId, kind: "handoff",
                    payload: Self.encode(packet))))
    }

    private func followUp(_ input: RoutingInput, agentId: String, handoffId: String) -> OutboundDelivery {
        let name = input.agents.first { $0.agent.id == agentId }?.agent.name ?? agentId
        let message = TranscriptMessage(id: input.message.messageId, text: input.message.text, sentAt: input.message.sentAt)
        let delivery = MessageDelivery(
            schemaVersion: HandoffPacket.currentSchemaVersion, kind: "message", handoffId: handoffId,
            agent: .init(id: agentId, name: name), conversationId: input.conversation.id, message: message)
        return OutboundDelivery(
            id: makeId("msg_"), agentId: agentId, handoffId: handoffId, kind: "message", payload: Self.encode(delivery))
    }

    static func waitedMs(since start: Date, now: Date) -> Int {
        max(0, Int((now.timeIntervalSince(start) * 1000).rounded()))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The JSON every delivery uses: ISO 8601 dates, sorted keys.
    public static func encode(_ value: some Encodable) -> [UInt8] {
        // Encoding these plain value types cannot fail.
        Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
