import Foundation
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore

/// The scenario of `switchboard bench memory`, derived from numbers alone: customer `c`'s id and
/// identities, conversation `j`'s id, are functions of `c` and `j`, so the benchmark can draw random
/// customers and conversations without keeping a million ids. One heavy customer (number
/// `customers`) has `history` earlier conversations spread evenly over the whole timeline, and one
/// open conversation whose handoff context is built.
struct MemoryFixture {
    let customers: Int
    let conversations: Int
    let history: Int
    /// When the benchmark builds its contexts; the timeline runs over the two years before.
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    private let span: Double = 2 * 365 * 86_400
    /// Conversations this close to the end are still open (waiting).
    private let openTail = 2_000

    var heavyCustomer: Int { customers }
    var heavyCustomerId: String { customerId(customers) }
    /// The heavy customer's open conversation.
    var heavyOpenId: String { "cv_" + Self.hex(Self.mix(UInt64(conversations), salt: 2)) }

    func customerId(_ number: Int) -> String { "cus_" + Self.hex(Self.mix(UInt64(number), salt: 1)) }
    func conversationId(_ number: Int) -> String { "cv_" + Self.hex(Self.mix(UInt64(number), salt: 2)) }

    /// Whether conversation `j` belongs to the heavy customer: every `conversations / history`-th one.
    func isHeavy(_ j: Int) -> Bool {
        let stride = conversations / history
        return j % stride == stride / 2 && j / stride < history
    }

    /// One to three of the customer's source user id, email and phone (the heavy customer has all three).
    func identities(_ number: Int) -> [Identity] {
        let all = [
            Identity(kind: .sourceUser, value: "web:u-\(number)"),
            Identity(kind: .email, value: "customer\(number)@example\(number % 97).com"),
            Identity(kind: .phone, value: "+1\(2_000_000_000 + number)"),
        ]
        if number == heavyCustomer { return all }
        let hash = Self.mix(UInt64(number), salt: 3)
        let count = 1 + Int(hash % 3)
        let first = Int((hash >> 8) % 3)
        return (0..<count).map { all[(first + $0) % 3] }
    }

    /// An identity nobody holds, of each kind in turn.
    func unknownIdentity(_ number: Int) -> Identity {
        switch number % 3 {
        case 0: Identity(kind: .sourceUser, value: "web:x-\(number)")
        case 1: Identity(kind: .email, value: "nobody\(number)@example.org")
        default: Identity(kind: .phone, value: "+44\(7_000_000_000 + number)")
        }
    }

    /// Customers, each with a name and their identities.
    func loadCustomers(_ range: Range<Int>, into loader: BulkLoader) throws {
        for number in range {
            let id = customerId(number)
            try loader.customer(
                id: id, name: number % 4 == 0 ? nil : "Customer \(number)",
                createdAt: now.addingTimeInterval(-span - 86_400))
            for identity in identities(number) { try loader.identity(identity, customerId: id) }
        }
    }

    /// Conversation `j` (of `customer`), with its messages, notes and any promise. Conversations start
    /// in order over the timeline; all but the last `openTail` are resolved.
    func loadConversation(_ j: Int, customer: Int, rng: inout SplitMix, into loader: BulkLoader) throws {
        let heavy = customer == heavyCustomer
        let start = now.addingTimeInterval(-span + span * Double(j) / Double(conversations))
        let open = !heavy && j >= conversations - openTail
        try load(
            id: conversationId(j), number: j, customer: customer, start: start, open: open,
            messages: heavy ? 3 : 2 + Int(rng.next() % 2),
            noteChance: heavy ? 50 : 35, promiseChance: heavy ? 2 : 3, rng: &rng, into: loader)
    }

    /// The heavy customer's open conversation, assigned ten minutes ago, with one note so far.
    func loadHeavyOpen(rng: inout SplitMix, into loader: BulkLoader) throws {
        try load(
            id: heavyOpenId, number: conversations, customer: heavyCustomer, start: now.addingTimeInterval(-600),
            open: true, messages: 3, noteChance: 100, promiseChance: 0, rng: &rng, into: loader, assigned: true)
    }

    private static let outcomes = ["refunded", "replaced", "explained", "credited", "cancelled", "shipped again"]
    private static let openings = [
        "Hi, my order #%d arrived damaged and I would like a refund or a replacement please.",
        "I was charged twice for invoice %d this month, can someone look into it?",
        "The tracking for parcel %d has not moved for a week. Where is it?",
        "Can I change the delivery address of order %d? I am moving next week.",
        "My subscription renewed (account %d) although I cancelled it in the app.",
        "The replacement for order %d still does not work, same fault as before, this is the third time I write.",
    ]

    private func load(
        id: String, number j: Int, customer: Int, start: Date, open: Bool, messages: Int, noteChance: UInt64,
        promiseChance: UInt64, rng: inout SplitMix, into loader: BulkLoader, assigned: Bool = false
    ) throws {
        let held = identities(customer)
        let identity = held[Int(rng.next() % UInt64(held.count))]
        let (source, channel, info): (String, String, CustomerInfo) =
            switch identity.kind {
            case .sourceUser: ("web", "chat", CustomerInfo(externalId: "u-\(customer)", name: "Customer \(customer)"))
            case .email: ("mail", "email", CustomerInfo(name: "Customer \(customer)", email: identity.value))
            case .phone: ("sms", "sms", CustomerInfo(phone: identity.value))
            }
        let agent = String(format: "agent-%04d", Int(rng.next() % 500))
        let externalId = "\(source)-\(j)"
        let attributes: [String: Value] = [
            "topic": .string("t\(j % 50)"), "tier": .string(rng.next() % 10 == 0 ? "gold" : "basic"),
        ]
        var at = start
        var last: InboundMessage?
        var transcript: [(id: String, author: String, text: String, at: Date)] = []
        for index in 0..<messages {
            let customerSpeaks = index % 2 == 0
            let text =
                index == 0
                ? String(format: Self.openings[Int(rng.next() % UInt64(Self.openings.count))], 100_000 + j)
                : customerSpeaks
                    ? "Thanks, that works for me. One more question about the invoice, though."
                    : "I am sorry about that. I have checked the order and I am fixing it for you now."
            transcript.append(("\(externalId)-m\(index + 1)", customerSpeaks ? "customer" : "agent", text, at))
            if customerSpeaks {
                last = InboundMessage(
                    source: source, conversationId: externalId, channel: channel, customer: info,
                    messageId: "\(externalId)-m\(index + 1)", text: text, sentAt: at, attributes: attributes)
            }
            at = at.addingTimeInterval(Double(60 + rng.next() % 540))
        }
        let roll = rng.next() % 100
        let transfers = open ? 0 : roll < 8 ? 1 : roll < 10 ? 2 : 0
        let resolvedAt = open ? nil : at.addingTimeInterval(Double(300 + rng.next() % 3_300))
        let outcome = open ? nil : Self.outcomes[Int(rng.next() % UInt64(Self.outcomes.count))]
        let notes =
            open || rng.next() % 100 >= noteChance
            ? nil
            : "Customer \(customer): \(outcome ?? "") after checking the order history; told them to expect an email."
        let conversation = Conversation(
            id: id, source: source, externalId: externalId, channel: channel, customerId: customerId(customer),
            startedAt: start, status: assigned ? .assigned : open ? .waiting : .resolved,
            agentId: open && !assigned ? nil : agent, handoffId: assigned ? "ho_bench\(j)" : nil,
            waitingSince: open ? start : nil, transfers: transfers, attributes: attributes, outcome: outcome,
            notes: notes)
        try loader.conversation(
            conversation, lastMessage: last!, identity: identity, lastMessageAt: last!.sentAt, resolvedAt: resolvedAt)
        for message in transcript {
            try loader.message(
                conversationId: id, messageId: message.id, author: message.author, text: message.text,
                sentAt: message.at)
        }
        if rng.next() % 100 < noteChance / 3 || assigned {
            try loader.note(
                AgentNote(agentId: agent, at: start.addingTimeInterval(90), text: "Asked for a photo of the damage."),
                conversationId: id)
        }
        if let notes, let resolvedAt {
            try loader.note(AgentNote(agentId: agent, at: resolvedAt, text: notes), conversationId: id)
        }
        if let resolvedAt, rng.next() % 100 < promiseChance {
            let due = resolvedAt.addingTimeInterval(2 * 86_400)
            let kept = due < now && rng.next() % 20 != 0
            try loader.promise(
                Promise(
                    id: "pr_" + Self.hex(Self.mix(UInt64(j), salt: 4)), customerId: customerId(customer),
                    conversationId: id,
                    agentId: agent, what: "Call back once the refund has reached the card", due: due,
                    madeAt: resolvedAt,
                    status: kept ? .kept : .open),
                keptAt: kept ? due.addingTimeInterval(3_600) : nil)
        }
    }

    static func mix(_ value: UInt64, salt: UInt64) -> UInt64 {
        var generator = SplitMix(state: value &* 0x2545_F491_4F6C_DD1D ^ (salt &* 0x9E37_79B9_7F4A_7C15))
        return generator.next()
    }

    /// 32 lower-case hex digits, like the store's own ids.
    static func hex(_ value: UInt64) -> String {
        var second = SplitMix(state: value)
        return pad(String(value, radix: 16)) + pad(String(second.next(), radix: 16))
    }

    private static func pad(_ text: String) -> String {
        text.count >= 16 ? text : String(repeating: "0", count: 16 - text.count) + text
    }
}
