/// Facts and routes, in order: the first route whose condition holds decides the requirements.
public struct RoutingTable: Sendable {
    public var facts: [Fact]
    public var routes: [Route]
    /// How many UTF-8 bytes of the message (and of any string) facts and `matches` read, from the
    /// start: patterns take bounded time on any message. Set by the server's `routing.match_text_bytes`.
    public var matchLimit = Expression.defaultMatchLimit
    /// Every name the routes' conditions and priority boosts read, each read once per message; a
    /// name's position here is its slot.
    private let slotNames: [ExpressionName]

    public init(facts: [Fact] = [], routes: [Route] = []) {
        self.facts = facts
        var slots: [String: Int] = [:]
        var names: [ExpressionName] = []
        let read = routes.flatMap { route in
            (route.when.map { [$0] } ?? []) + route.priority.boosts.map(\.when)
        }
        for name in read.flatMap(\.names).sorted() where slots[name] == nil {
            slots[name] = names.count
            names.append(ExpressionName(name))
        }
        self.routes = routes.map { route in
            var route = route
            route.when = route.when?.assigningSlots(slots)
            route.priority.boosts = route.priority.boosts.map { PriorityBoost(when: $0.when.assigningSlots(slots), add: $0.add) }
            return route
        }
        self.slotNames = names
    }

    /// Whether a fact is named like an attribute or a customer trait (`customer.tier`) and so hides it.
    private var factsShadowNames: Bool { facts.contains { $0.name.utf8.contains(UInt8(ascii: ".")) } }

    /// Computes the facts for a message, each one able to read those declared before it.
    public func facts(for message: InboundMessage) -> [String: Value] {
        var scope = RoutingScope(message: message, factsShadowNames: factsShadowNames, matchLimit: matchLimit)
        for fact in facts {
            scope.facts[fact.name] = fact.value(in: scope)
        }
        return scope.facts
    }

    /// The first route that applies to the message, with the facts it was judged on; nil when none applies.
    public func match(_ message: InboundMessage) -> RouteMatch? {
        let computed = facts(for: message)
        var scope = RoutingScope(
            message: message, facts: computed, factsShadowNames: factsShadowNames, matchLimit: matchLimit)
        scope.fillSlots(slotNames)
        // By index, not by element: copying each route would retain all of its parts.
        for index in routes.indices where routes[index].when?.holds(in: scope) ?? true {
            return RouteMatch(
                route: routes[index].name, facts: computed, requirements: routes[index].requirements.resolved(facts: computed),
                index: index, priority: routes[index].priority.value(in: scope))
        }
        return nil
    }

    /// Several tables (one per file) read as one: facts and routes in file order.
    public static func merged(_ tables: [RoutingTable]) -> RoutingTable {
        RoutingTable(facts: tables.flatMap(\.facts), routes: tables.flatMap(\.routes))
    }
}

/// The route chosen for a conversation and why.
public struct RouteMatch: Sendable, Hashable {
    public var route: String
    public var facts: [String: Value]
    /// The route's requirements with the facts substituted, before any relaxation.
    public var requirements: ResolvedRequirements
    /// The route's position in the table.
    public var index: Int
    /// The route's priority for this conversation.
    public var priority: Int

    public init(route: String, facts: [String: Value], requirements: ResolvedRequirements, index: Int = 0, priority: Int = 0) {
        self.route = route
        self.facts = facts
        self.requirements = requirements
        self.index = index
        self.priority = priority
    }
}
