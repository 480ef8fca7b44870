import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Routing planner")
struct RoutingPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func input(
        status: ConversationStatus = .waiting, agents: [AgentSnapshot], text: String = "refund $300", previous: String? = nil,
        waitingSince: Date? = now.addingTimeInterval(-2)
    ) -> RoutingInput {
        let message = RoutingTableTests.message(text)
        let conversation = Conversation(
            id: "cv_1", source: "web", externalId: "c", channel: "chat", customerId: "cus_1", startedAt: now,
            status: status, agentId: status == .assigned ? "ana" : nil, handoffId: status == .assigned ? "ho_1" : nil,
            waitingSince: waitingSince)
        return RoutingInput(
            conversation: conversation, customer: Customer(id: "cus_1", name: "Ana", identities: []), message: message,
            transcript: [TranscriptMessage(id: "m", text: text, sentAt: now)], history: [], agents: agents,
            previousAgentId: previous, trigger: "new conversation", now: now)
    }

    static func planner() throws -> RoutingPlanner {
        RoutingPlanner(table: try RoutingTableTests.table(), makeId: { "\($0)fixed" })
    }

    @Test("an eligible agent gets an offer carrying the packet and the decision")
    func assigns() throws {
        let ana = AgentSnapshot(agent: MatcherTests.agent("ana"))
        guard case .assign(let assignment) = try Self.planner().plan(Self.input(agents: [ana])) else {
            Issue.record("expected an assignment")
            return
        }
        #expect(assignment.agentId == "ana")
        #expect(assignment.handoffId == "ho_fixed")
        #expect(assignment.decision.outcome == .assigned)
        #expect(assignment.decision.route == "refunds")
        #expect(assignment.decision.waitedMs == 2000)
        let packet = try JSONDecoder.iso8601.decode(HandoffPacket.self, from: Data(assignment.delivery.payload))
        #expect(packet.handoffId == "ho_fixed")
        #expect(packet.routing.route == "refunds")
        #expect(packet.routing.waitedMs == 2000)
        #expect(packet.conversation.messages.count == 1)
        #expect(assignment.delivery.id == "ho_fixed")
    }

    @Test("nobody eligible: wait, with every exclusion explained")
    func waits() throws {
        let low = AgentSnapshot(agent: MatcherTests.agent("low", authority: ["refund_limit": .limit(50)]))
        guard case .wait(let decision) = try Self.planner().plan(Self.input(agents: [low])) else {
            Issue.record("expected a wait")
            return
        }
        #expect(decision.outcome == .waiting)
        #expect(decision.excluded == [Exclusion(agent: "low", reasons: ["refund_limit 50 < 300"])])
    }

    @Test("an assigned conversation's new message is a follow-up to its agent, not a new routing")
    func followUp() throws {
        let ana = AgentSnapshot(agent: MatcherTests.agent("ana"))
        let other = AgentSnapshot(agent: MatcherTests.agent("aaa"))
        guard case .followUp(let delivery) = try Self.planner().plan(Self.input(status: .assigned, agents: [other, ana])) else {
            Issue.record("expected a follow-up")
            return
        }
        #expect(delivery.agentId == "ana")
        #expect(delivery.kind == "message")
        #expect(delivery.handoffId == "ho_1")
    }

    @Test("no route applies: wait with a no_route decision")
    func noRoute() throws {
        let planner = RoutingPlanner(table: RoutingTable(routes: []))
        guard case .wait(let decision) = planner.plan(Self.input(agents: [])) else {
            Issue.record("expected a wait")
            return
        }
        #expect(decision.outcome == .noRoute)
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
