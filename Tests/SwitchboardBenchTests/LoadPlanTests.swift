import Testing
import SwitchboardBench

@Suite("The open-loop plan of the end-to-end bench")
struct LoadPlanTests {
    @Test("sends are evenly spaced at the webhook rate, follow-ups on top of the conversation rate")
    func spacing() {
        let plan = LoadPlan(mix: LoadMix(), conversationRate: 800, duration: 10)
        #expect(abs(plan.webhookRate - 1_000) < 1e-6)
        #expect(plan.webhooks.count == 10_000)
        #expect(plan.conversations + plan.counts[.followUp, default: 0] == 10_000)
        for (index, webhook) in plan.webhooks.enumerated() {
            #expect(webhook.offset == UInt64(index) * 1_000_000)
        }
    }

    @Test(
        "each kind gets its share, to within the fallbacks of the first half second",
        arguments: [
            LoadMix(), LoadMix(new: 100, followUp: 0, returning: 0, authority: 0),
            LoadMix(new: 1, followUp: 1, returning: 1, authority: 1), LoadMix(new: 0, followUp: 50, returning: 25, authority: 25),
        ])
    func shares(mix: LoadMix) {
        let plan = LoadPlan(mix: mix, conversationRate: 500, duration: 20, minimumAge: 0.5)
        let counts = plan.counts
        let total = Double(plan.webhooks.count)
        // In the first 0.5 s follow-ups and returning customers fall back to new conversations.
        let fallbacks = plan.webhookRate * 0.5 * (mix.fraction(.followUp) + mix.fraction(.returning)) + 2
        for kind in LoadPlan.Kind.allCases {
            let expected = mix.fraction(kind) * total
            let actual = Double(counts[kind, default: 0])
            if kind == .new {
                #expect(actual >= expected - 1 && actual <= expected + fallbacks, "\(kind)")
            } else if kind == .followUp || kind == .returning {
                #expect(actual <= expected + 1 && actual >= expected - fallbacks, "\(kind)")
            } else {
                #expect(abs(actual - expected) <= 1, "\(kind)")
            }
        }
    }

    @Test("follow-ups and returning customers refer only to conversations started at least the minimum age earlier")
    func references() {
        let plan = LoadPlan(mix: LoadMix(new: 40, followUp: 30, returning: 30, authority: 0), conversationRate: 1_000, duration: 5)
        var customerOf: [Int: Int] = [:]
        for webhook in plan.webhooks {
            switch webhook.kind {
            case .followUp:
                let start = plan.webhooks[plan.conversationStarts[webhook.conversation]]
                #expect(start.offset + 500_000_000 <= webhook.offset)
                #expect(customerOf[webhook.conversation] == webhook.customer)
            case .returning:
                let earlier = plan.webhooks.first { $0.customer == webhook.customer }!
                #expect(earlier.kind != .returning && earlier.offset + 500_000_000 <= webhook.offset)
                customerOf[webhook.conversation] = webhook.customer
            case .new, .authority:
                customerOf[webhook.conversation] = webhook.customer
            }
        }
        #expect(plan.counts[.followUp, default: 0] > 1_000)
        #expect(plan.counts[.returning, default: 0] > 1_000)
    }

    @Test("conversations are numbered in the order they start, each started once")
    func numbering() {
        let plan = LoadPlan(mix: LoadMix(), conversationRate: 300, duration: 10)
        for (conversation, start) in plan.conversationStarts.enumerated() {
            #expect(plan.webhooks[start].conversation == conversation)
            #expect(plan.webhooks[start].kind.startsConversation)
        }
        #expect(plan.webhooks.filter(\.kind.startsConversation).count == plan.conversations)
        // 300 a second for 10 s, and the follow-ups of the first half second, which start conversations instead.
        let fallbacks = plan.webhookRate * 0.5 * LoadMix().fraction(.followUp)
        #expect(plan.conversations >= 3_000 && Double(plan.conversations) <= 3_000 + fallbacks + 1)
    }

    @Test("the same seed gives the same plan; another seed another one")
    func seeded() {
        let mix = LoadMix(new: 40, followUp: 30, returning: 30, authority: 0)
        let a = LoadPlan(mix: mix, conversationRate: 200, duration: 5, seed: 7)
        let b = LoadPlan(mix: mix, conversationRate: 200, duration: 5, seed: 7)
        let c = LoadPlan(mix: mix, conversationRate: 200, duration: 5, seed: 8)
        #expect(a.webhooks == b.webhooks)
        #expect(a.webhooks != c.webhooks)
    }

    @Test("what is due: every webhook whose time has come, and no later one")
    func due() {
        let plan = LoadPlan(mix: LoadMix(), conversationRate: 800, duration: 1)
        #expect(plan.due(at: 0, from: 0) == 1)
        #expect(plan.due(at: 999_999, from: 0) == 1)
        #expect(plan.due(at: 1_000_000, from: 1) == 2)
        #expect(plan.due(at: 10_500_000, from: 2) == 11)
        #expect(plan.due(at: 5_000_000_000, from: 11) == plan.webhooks.count)
    }

    @Test(
        "mixes are read from kind=share pairs; bad ones are refused",
        arguments: [
            ("new=60,followup=20,returning=10,authority=10", LoadMix()),
            ("new=1", LoadMix(new: 1, followUp: 0, returning: 0, authority: 0)),
            ("authority=5, follow-up=5", LoadMix(new: 0, followUp: 5, returning: 0, authority: 5)),
        ])
    func parsing(text: String, mix: LoadMix) throws {
        #expect(try LoadMix(parsing: text) == mix)
    }

    @Test("refused mixes", arguments: ["followup=100", "new=-1", "new", "old=5", ""])
    func refused(text: String) {
        #expect(throws: LoadMixError.self) { try LoadMix(parsing: text) }
    }
}
