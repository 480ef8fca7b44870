import SwitchboardCore

/// The open-loop schedule of an end-to-end run, made before the clock starts: webhook `k` is sent at
/// `k / webhookRate` seconds after the start, whatever the server answered before. Conversations start at
/// `conversationRate` per second; follow-ups come on top, so `webhookRate = conversationRate / (1 − followup
/// fraction)`. The kinds are interleaved evenly: each webhook is the kind furthest behind its share.
///
/// A follow-up goes to, and a returning customer is, one of the conversations started at least
/// `minimumAge` seconds earlier, picked at random (seeded): its first message has been acknowledged by then.
/// Until there is one, such a webhook starts a new conversation instead (counted as `new`).
public struct LoadPlan: Sendable {
    /// What one webhook does.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case new
        case followUp = "followup"
        case returning
        case authority

        /// Whether the webhook starts a conversation (and so should end in a handoff).
        public var startsConversation: Bool { self != .followUp }
    }

    /// One planned webhook.
    public struct Webhook: Sendable, Equatable {
        public var kind: Kind
        /// The conversation it belongs to, 0 ..< ``LoadPlan/conversations``.
        public var conversation: Int
        /// The customer who writes it, 0 ..< ``LoadPlan/customers``.
        public var customer: Int
        /// When it is due, in nanoseconds after the start.
        public var offset: UInt64
    }

    /// Every webhook, in the order (and at the times) they are sent.
    public let webhooks: [Webhook]
    /// For each conversation, the index of the webhook that starts it.
    public let conversationStarts: [Int]
    /// How many distinct customers write.
    public let customers: Int
    /// Webhooks per second, all kinds.
    public let webhookRate: Double

    /// How many conversations are started (each should be handed off).
    public var conversations: Int { conversationStarts.count }

    /// Plans `duration` seconds of `conversationRate` conversations per second in the proportions of `mix`.
    public init(mix: LoadMix, conversationRate: Double, duration: Double, minimumAge: Double = 0.5, seed: UInt64 = 1) {
        let followUps = mix.fraction(.followUp)
        let webhookRate = conversationRate / (1 - followUps)
        let count = Int((webhookRate * duration).rounded())
        let minimumAgeNanoseconds = UInt64((minimumAge * 1e9).rounded())
        var random = SplitMix64(seed: seed)
        var planned: [Kind: Int] = [:]
        var webhooks: [Webhook] = []
        webhooks.reserveCapacity(count)
        var starts: [Int] = []
        var conversationCustomer: [Int] = []
        var customers = 0
        // Conversations 0 ..< oldEnough started at least minimumAge before the current webhook.
        var oldEnough = 0
        for index in 0..<count {
            let offset = UInt64((Double(index) * 1e9 / webhookRate).rounded())
            while oldEnough < starts.count, webhooks[starts[oldEnough]].offset + minimumAgeNanoseconds <= offset {
                oldEnough += 1
            }
            // The kind furthest behind its share of the webhooks so far (ties in declaration order).
            var kind = Kind.new
            var deficit = -Double.infinity
            for candidate in Kind.allCases where mix.fraction(candidate) > 0 {
                let behind = mix.fraction(candidate) * Double(index + 1) - Double(planned[candidate, default: 0])
                if behind > deficit + 1e-12 {
                    kind = candidate
                    deficit = behind
                }
            }
            planned[kind, default: 0] += 1
            if (kind == .followUp || kind == .returning) && oldEnough == 0 { kind = .new }
            switch kind {
            case .followUp:
                let conversation = Int(random.next() % UInt64(oldEnough))
                webhooks.append(
                    Webhook(kind: kind, conversation: conversation, customer: conversationCustomer[conversation], offset: offset))
            case .returning:
                let earlier = Int(random.next() % UInt64(oldEnough))
                let customer = conversationCustomer[earlier]
                webhooks.append(Webhook(kind: kind, conversation: starts.count, customer: customer, offset: offset))
                starts.append(index)
                conversationCustomer.append(customer)
            case .new, .authority:
                webhooks.append(Webhook(kind: kind, conversation: starts.count, customer: customers, offset: offset))
                starts.append(index)
                conversationCustomer.append(customers)
                customers += 1
            }
        }
        self.webhooks = webhooks
        self.conversationStarts = starts
        self.customers = customers
        self.webhookRate = webhookRate
    }

    /// How many webhooks of each kind were planned (after the fallbacks to `new`).
    public var counts: [Kind: Int] {
        webhooks.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    /// The index one past the last webhook due `elapsed` nanoseconds after the start, searching from `from`.
    public func due(at elapsed: UInt64, from: Int) -> Int {
        var index = from
        while index < webhooks.count, webhooks[index].offset <= elapsed { index += 1 }
        return index
    }
}
