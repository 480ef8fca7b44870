import SwitchboardCore

/// A contact centre's day, as a scenario file describes it: who works when, what arrives when, and what the
/// work needs. Times of day are seconds after midnight; durations are seconds.
public struct Scenario: Sendable, Hashable {
    public var name: String
    /// The seed of every draw: the same scenario and seed give the same day.
    public var seed: UInt64
    /// When arrivals start and stop, in seconds after midnight. Work still open at the end is finished by the
    /// agents still on shift.
    public var opens: Double
    public var closes: Double
    public var agents: [AgentGroup]
    public var arrivals: Arrivals
    public var intents: [Intent]

    public init(
        name: String, seed: UInt64, opens: Double, closes: Double, agents: [AgentGroup], arrivals: Arrivals,
        intents: [Intent]
    ) {
        self.name = name
        self.seed = seed
        self.opens = opens
        self.closes = closes
        self.agents = agents
        self.arrivals = arrivals
        self.intents = intents
    }

    /// Every agent of every group, named `group-01`, `group-02`, ….
    public var roster: [RosterAgent] {
        agents.flatMap { group in
            (0..<group.count).map { index in
                let width = max(2, String(group.count).count)
                let digits = String(index + 1)
                let id = group.name + "-" + String(repeating: "0", count: width - digits.count) + digits
                return RosterAgent(
                    agent: Agent(
                        id: id, name: id, status: .offline, skills: group.skills, authority: group.authority,
                        capacity: group.capacity, desk: Desk(url: "http://simulated.invalid/desk", secret: "")),
                    shift: group.shift.staggered(index, of: group.count))
            }
        }
    }
}

/// Agents alike in skills, authority, capacity and shift.
public struct AgentGroup: Sendable, Hashable {
    public var name: String
    public var count: Int
    public var skills: [String: Int]
    public var authority: [String: AuthorityGrant]
    public var capacity: [String: Int]
    public var shift: Shift

    public init(
        name: String, count: Int, skills: [String: Int] = [:], authority: [String: AuthorityGrant] = [:],
        capacity: [String: Int], shift: Shift
    ) {
        self.name = name
        self.count = count
        self.skills = skills
        self.authority = authority
        self.capacity = capacity
        self.shift = shift
    }
}

/// When an agent is online: from `start` to `end`, away during each break.
public struct Shift: Sendable, Hashable {
    public var start: Double
    public var end: Double
    public var breaks: [Break]

    public init(start: Double, end: Double, breaks: [Break] = []) {
        self.start = start
        self.end = end
        self.breaks = breaks
    }

    public struct Break: Sendable, Hashable {
        public var at: Double
        public var length: Double
        /// The group's breaks start spread evenly over this many seconds from `at`, so that not everyone leaves at once.
        public var stagger: Double

        public init(at: Double, length: Double, stagger: Double = 0) {
            self.at = at
            self.length = length
            self.stagger = stagger
        }
    }

    /// The shift of the group's agent number `index` of `count`: each break moved by its share of the stagger.
    func staggered(_ index: Int, of count: Int) -> Shift {
        var shift = self
        shift.breaks = breaks.map { pause in
            Break(at: pause.at + pause.stagger * Double(index) / Double(max(count, 1)), length: pause.length)
        }
        return shift
    }

    /// Seconds online (breaks taken out).
    public var onlineSeconds: Double {
        max(0, end - start - breaks.reduce(0) { $0 + $1.length })
    }
}

/// One agent of the roster with their shift.
public struct RosterAgent: Sendable, Hashable {
    public var agent: Agent
    public var shift: Shift
}

/// What arrives over the day.
public struct Arrivals: Sendable, Hashable {
    /// New conversations over the day (promise follow-ups come on top).
    public var conversations: Int
    /// The shape of the arrival rate: relative weights at times of day, straight lines between them.
    public var curve: [CurvePoint]
    /// Share of conversations per channel, e.g. `chat: 0.8, email: 0.2`.
    public var channels: [String: Double]
    /// Share per customer tier, e.g. `gold: 0.1, standard: 0.9`; the tier reaches the table as `customer.tier`.
    public var tiers: [String: Double]
    /// Share of customers who are angry: shorter patience, longer handling.
    public var angry: Double
    /// Share of conversations from a customer who wrote earlier in the day, whose resolving agent is then
    /// their previous agent.
    public var returning: Double
    /// Mean patience per channel, in seconds: a customer not with an agent by then gives up. A channel not
    /// listed never gives up (email).
    public var patience: [String: Double]

    public init(
        conversations: Int, curve: [CurvePoint], channels: [String: Double], tiers: [String: Double] = [:],
        angry: Double = 0, returning: Double = 0, patience: [String: Double] = [:]
    ) {
        self.conversations = conversations
        self.curve = curve
        self.channels = channels
        self.tiers = tiers
        self.angry = angry
        self.returning = returning
        self.patience = patience
    }

    public struct CurvePoint: Sendable, Hashable {
        public var at: Double
        public var weight: Double

        public init(at: Double, weight: Double) {
            self.at = at
            self.weight = weight
        }
    }
}

/// A kind of work: how often it comes, what the customer writes, what resolving it needs, and how long it takes.
public struct Intent: Sendable, Hashable {
    public var name: String
    /// Relative share among intents.
    public var share: Double
    /// The customer's first message; `{amount}` is replaced with the drawn amount (`$` and two decimals).
    public var text: String
    /// The amount at stake, drawn log-uniformly between the two (refunds, goodwill); nil for none.
    public var amount: ClosedRange<Double>?
    /// Skill levels needed to resolve it.
    public var skills: [String: Int]
    /// Authority needed: a key whose limit must cover the amount (`refund_limit`), or a permission.
    public var authority: [String: AuthorityNeed]
    /// Median handling time per channel at exactly the needed skill level; each level above takes 10 % off (at
    /// most 40 %). Drawn log-normally around it.
    public var handle: [String: Double]
    /// Time an agent who cannot resolve it spends before passing it on.
    public var triage: Double
    /// Share of resolutions that promise the customer a follow-up, which falls due `promiseAfter` later.
    public var promises: Double
    public var promiseAfter: Double

    public init(
        name: String, share: Double, text: String, amount: ClosedRange<Double>? = nil, skills: [String: Int] = [:],
        authority: [String: AuthorityNeed] = [:], handle: [String: Double], triage: Double = 60, promises: Double = 0,
        promiseAfter: Double = 7200
    ) {
        self.name = name
        self.share = share
        self.text = text
        self.amount = amount
        self.skills = skills
        self.authority = authority
        self.handle = handle
        self.triage = triage
        self.promises = promises
        self.promiseAfter = promiseAfter
    }

    public enum AuthorityNeed: String, Sendable, Hashable {
        /// The agent's limit under that key must be at least the amount.
        case amount
        /// The agent must hold the permission.
        case permission
    }
}
