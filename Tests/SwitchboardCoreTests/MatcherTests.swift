import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Matcher")
struct MatcherTests {
    static let desk = Desk(url: "http://127.0.0.1:9001/handoffs", secret: "whsec_x")

    static func agent(
        _ id: String, status: Presence = .online, skills: [String: Int] = ["billing": 4],
        authority: [String: AuthorityGrant] = ["refund_limit": .limit(500)], capacity: [String: Int] = ["chat": 2],
        desk: Desk? = desk
    ) -> Agent {
        Agent(id: id, name: id.capitalized, status: status, skills: skills, authority: authority, capacity: capacity, desk: desk)
    }

    static let refund300 = ResolvedRequirements(
        skills: ["billing": 3], authority: ["refund_limit": ResolvedAuthority(minimum: 300, fact: "amount")])

    struct ExclusionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var snapshot: AgentSnapshot
        var reasons: [String]
        var testDescription: String { name }
    }

    static let exclusions: [ExclusionCase] = [
        ExclusionCase(name: "offline", snapshot: AgentSnapshot(agent: agent("a", status: .offline)), reasons: ["offline"]),
        ExclusionCase(name: "away", snapshot: AgentSnapshot(agent: agent("a", status: .away)), reasons: ["away"]),
        ExclusionCase(
            name: "at capacity", snapshot: AgentSnapshot(agent: agent("a"), load: ["chat": 2]),
            reasons: ["at capacity for chat (2/2)"]),
        ExclusionCase(
            name: "no capacity for the channel", snapshot: AgentSnapshot(agent: agent("a", capacity: ["email": 5])),
            reasons: ["no capacity for chat"]),
        ExclusionCase(
            name: "skill too low", snapshot: AgentSnapshot(agent: agent("a", skills: ["billing": 2])),
            reasons: ["billing 2 < 3"]),
        ExclusionCase(
            name: "skill missing", snapshot: AgentSnapshot(agent: agent("a", skills: [:])),
            reasons: ["no billing skill (needs 3)"]),
        ExclusionCase(
            name: "limit too low", snapshot: AgentSnapshot(agent: agent("a", authority: ["refund_limit": .limit(50)])),
            reasons: ["refund_limit 50 < 300"]),
        ExclusionCase(
            name: "authority missing", snapshot: AgentSnapshot(agent: agent("a", authority: [:])),
            reasons: ["no refund_limit (needs 300)"]),
        ExclusionCase(name: "no desk", snapshot: AgentSnapshot(agent: agent("a", desk: nil)), reasons: ["no desk"]),
        ExclusionCase(
            name: "several at once",
            snapshot: AgentSnapshot(agent: agent("a", status: .offline, skills: ["billing": 1], authority: ["refund_limit": .limit(10)])),
            reasons: ["offline", "billing 1 < 3", "refund_limit 10 < 300"]),
    ]

    @Test("each ineligible agent is excluded with every reason", arguments: exclusions)
    func excluded(_ testCase: ExclusionCase) {
        let outcome = Matcher().match(agents: [testCase.snapshot], requirements: Self.refund300, channel: "chat")
        #expect(outcome.chosen == nil)
        #expect(outcome.excluded == [Exclusion(agent: "a", reasons: testCase.reasons)])
    }

    @Test("a permission requirement needs the permission to be true")
    func permission() {
        let requirements = ResolvedRequirements(authority: ["approve_returns": ResolvedAuthority(minimum: nil, fact: nil)])
        let holds = AgentSnapshot(agent: Self.agent("yes", authority: ["approve_returns": .permission(true)]))
        let refused = AgentSnapshot(agent: Self.agent("no", authority: ["approve_returns": .permission(false)]))
        let outcome = Matcher().match(agents: [holds, refused], requirements: requirements, channel: "chat")
        #expect(outcome.chosen?.agent.id == "yes")
        #expect(outcome.excluded == [Exclusion(agent: "no", reasons: ["no approve_returns"])])
    }

    @Test("the customer's previous agent comes first, even when busier")
    func previousAgentFirst() {
        let busy = AgentSnapshot(agent: Self.agent("busy"), load: ["chat": 1])
        let idle = AgentSnapshot(agent: Self.agent("idle"))
        let outcome = Matcher().match(
            agents: [idle, busy], requirements: Self.refund300, channel: "chat", previousAgentId: "busy")
        #expect(outcome.chosen?.agent.id == "busy")
        #expect(outcome.why.first == "previous agent for this customer")
    }

    @Test("an ineligible previous agent is passed over")
    func ineligiblePreviousAgent() {
        let previous = AgentSnapshot(agent: Self.agent("prev", status: .offline))
        let other = AgentSnapshot(agent: Self.agent("other"))
        let outcome = Matcher().match(
            agents: [previous, other], requirements: Self.refund300, channel: "chat", previousAgentId: "prev")
        #expect(outcome.chosen?.agent.id == "other")
    }

    @Test("then the least loaded, relative to capacity")
    func leastLoaded() {
        let half = AgentSnapshot(agent: Self.agent("half", capacity: ["chat": 2]), load: ["chat": 1])
        let third = AgentSnapshot(agent: Self.agent("third", capacity: ["chat": 3]), load: ["chat": 1])
        let outcome = Matcher().match(agents: [half, third], requirements: Self.refund300, channel: "chat")
        #expect(outcome.chosen?.agent.id == "third")
        #expect(outcome.why.first == "least loaded of 2 eligible")
    }

    @Test("then the one idle longest")
    func idleLongest() {
        let recent = AgentSnapshot(agent: Self.agent("a-recent"), lastAssignedAt: Date(timeIntervalSince1970: 2000))
        let earlier = AgentSnapshot(agent: Self.agent("b-earlier"), lastAssignedAt: Date(timeIntervalSince1970: 1000))
        let outcome = Matcher().match(agents: [recent, earlier], requirements: Self.refund300, channel: "chat")
        #expect(outcome.chosen?.agent.id == "b-earlier")
    }

    @Test("the explanation states the qualifications")
    func explanation() {
        let outcome = Matcher().match(agents: [AgentSnapshot(agent: Self.agent("ana"))], requirements: Self.refund300, channel: "chat")
        #expect(outcome.why == ["the only eligible agent", "load 0/2 on chat", "billing 4 >= 3", "refund_limit 500 >= 300 (amount)"])
        #expect(outcome.candidates == ["ana"])
        #expect(outcome.eligible == ["ana"])
    }
}
