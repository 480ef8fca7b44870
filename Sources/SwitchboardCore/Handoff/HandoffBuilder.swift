import Foundation

/// Turns the engine's offers and follow-ups into the JSON deliveries agents' desks receive.
public enum HandoffBuilder {
    /// The handoff for an offer: everything the agent needs to take over without asking the customer again.
    public static func handoff(_ offer: Offer, context: HandoffContext) -> OutboundDelivery {
        let decision = offer.decision
        let packet = HandoffPacket(
            schemaVersion: HandoffPacket.currentSchemaVersion, kind: "handoff", handoffId: offer.handoffId,
            agent: .init(id: offer.agentId, name: offer.agentName),
            conversation: .init(
                id: context.conversation.id, source: context.conversation.source,
                externalId: context.conversation.externalId, channel: context.conversation.channel,
                startedAt: context.conversation.startedAt, messages: context.transcript,
                attributes: context.conversation.attributes, notes: context.notes, followUp: context.followUp),
            customer: .init(id: context.customer.id, name: context.customer.name, identities: context.customer.identities),
            history: context.history, historySummary: context.historySummary, promises: context.promises,
            routing: .init(
                route: offer.route, requirements: decision.requirements ?? ResolvedRequirements(), facts: decision.facts,
                why: decision.summary, reasons: decision.why, rule: decision.rule, relaxed: decision.relaxed,
                priority: offer.priority, waitedMs: decision.waitedMs, transfers: offer.transfers,
                movedFrom: decision.movedFrom, trigger: decision.trigger, offerDeadline: offer.deadline))
        return OutboundDelivery(
            id: offer.handoffId, agentId: offer.agentId, handoffId: offer.handoffId, kind: "handoff", payload: encode(packet))
    }

    /// A later customer message for the agent who holds the conversation.
    public static func message(_ followUp: FollowUp, id: String) -> OutboundDelivery {
        let message = TranscriptMessage(id: followUp.message.messageId, text: followUp.message.text, sentAt: followUp.message.sentAt)
        let delivery = MessageDelivery(
            schemaVersion: HandoffPacket.currentSchemaVersion, kind: "message", handoffId: followUp.handoffId,
            agent: .init(id: followUp.agentId, name: followUp.agentName), conversationId: followUp.conversationId,
            message: message)
        return OutboundDelivery(
            id: id, agentId: followUp.agentId, handoffId: followUp.handoffId, kind: "message", payload: encode(delivery))
    }

    /// A notice that the conversation is no longer the agent's; nil for releases the agent caused
    /// themselves (a decline or a resolve).
    public static func notice(_ release: Release) -> OutboundDelivery? {
        switch release.reason {
        case .moved, .withdrawn, .lapsed:
            let notice = ReleaseNotice(
                schemaVersion: HandoffPacket.currentSchemaVersion, kind: "released", handoffId: release.handoffId,
                agent: .init(id: release.agentId, name: release.agentName), conversationId: release.conversationId,
                reason: release.reason.status.rawValue, at: release.at)
            return OutboundDelivery(
                id: RoutingEngine.randomId("rel_"), agentId: release.agentId, handoffId: release.handoffId,
                kind: "released", payload: encode(notice))
        case .declined, .resolved:
            return nil
        }
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
