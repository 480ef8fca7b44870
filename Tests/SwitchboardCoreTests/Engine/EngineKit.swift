import Foundation

@testable import SwitchboardCore

/// Agents, routes, messages and effect readers for the engine's tests.
enum EngineKit {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let desk = Desk(url: "http://127.0.0.1:9001/handoffs", secret: "whsec_x")

    static func agent(
        _ id: String, status: Presence = .online, skills: [String: Int] = ["billing": 4, "general": 3],
        authority: [String: AuthorityGrant] = ["refund_limit": .limit(500)], capacity: [String: Int] = ["chat": 2],
        desk: Desk? = desk
    ) -> Agent {
        Agent(
            id: id, name: id.capitalized, status: status, skills: skills, authority: authority, capacity: capacity,
            desk: desk)
    }

    static let facts: [Fact] = [
        Fact(name: "amount", rule: .extract(try! FactPattern(#"\$\s?([0-9]+(?:\.[0-9]+)?)"#), as: .number)),
        Fact(
            name: "intent",
            rule: .cases([FactCase(when: try! Expression.parse(#"text matches "(?i)refund""#), value: "refund")])),
    ]

    /// `refunds` (billing 3, refund_limit >= amount) for refund messages, `general` (general 1) otherwise.
    static func table(
        refunds: (inout Route) -> Void = { _ in }, general: (inout Route) -> Void = { _ in }
    ) -> RoutingTable {
        var refundRoute = Route(
            name: "refunds", when: try! Expression.parse(#"intent == "refund""#),
            requirements: Requirements(skills: ["billing": 3], authority: ["refund_limit": .fact("amount")]))
        refunds(&refundRoute)
        var generalRoute = Route(name: "general", requirements: Requirements(skills: ["general": 1]))
        general(&generalRoute)
        return RoutingTable(facts: facts, routes: [refundRoute, generalRoute])
    }

    static func engine(_ agents: [Agent], table: RoutingTable = table()) -> RoutingEngine {
        RoutingEngine(table: table, agents: agents.map { AgentSnapshot(agent: $0) }, now: t0)
    }

    static func message(
        _ conversation: String, _ text: String, at: Date = t0, channel: String = "chat",
        attributes: [String: Value] = [:], previous: String? = nil, isNew: Bool = true
    ) -> ConversationMessage {
        ConversationMessage(
            conversationId: conversation, channel: channel,
            message: InboundMessage(
                source: "web", conversationId: conversation, channel: channel,
                customer: CustomerInfo(externalId: "u-\(conversation)", name: nil, email: nil, phone: nil),
                messageId: "m-\(UUID().uuidString)", text: text, sentAt: at, attributes: attributes),
            receivedAt: at, isNew: isNew, previousAgentId: previous, transfers: 0)
    }
}

extension Array where Element == RoutingEffect {
    var offers: [Offer] {
        compactMap { if case .offer(let offer) = $0 { offer } else { nil } }
    }
    var waits: [Wait] {
        compactMap { if case .wait(let wait) = $0 { wait } else { nil } }
    }
    var releases: [Release] {
        compactMap { if case .release(let release) = $0 { release } else { nil } }
    }
    var followUps: [FollowUp] {
        compactMap { if case .followUp(let followUp) = $0 { followUp } else { nil } }
    }
    var acceptances: [Acceptance] {
        compactMap { if case .accept(let acceptance) = $0 { acceptance } else { nil } }
    }
}

extension Date {
    func plus(_ seconds: Double) -> Date { addingTimeInterval(seconds) }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
