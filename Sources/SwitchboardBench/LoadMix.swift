import Foundation

/// What the webhooks of an end-to-end run are, as shares of all webhooks sent:
/// - `new`: a new conversation from a new customer (a parcel question, the general route);
/// - `followup`: another message in a conversation started earlier in the run, still open;
/// - `returning`: a new conversation from a customer seen earlier in the run (the handoff carries history);
/// - `authority`: a new conversation from a new customer asking for a $300 refund, which needs
///   `refund_limit >= 300`: only half of the bench's agents have it.
///
/// Written `new=60,followup=20,returning=10,authority=10` (the default); shares need not add up to 100.
public struct LoadMix: Sendable, Equatable, Codable, CustomStringConvertible {
    public var new: Double
    public var followUp: Double
    public var returning: Double
    public var authority: Double

    public init(new: Double = 60, followUp: Double = 20, returning: Double = 10, authority: Double = 10) {
        self.new = new
        self.followUp = followUp
        self.returning = returning
        self.authority = authority
    }

    /// Reads `new=60,followup=20,returning=10,authority=10`; a kind left out has share 0.
    public init(parsing text: String) throws(LoadMixError) {
        self.init(new: 0, followUp: 0, returning: 0, authority: 0)
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let share = Double(parts[1]), share >= 0, share.isFinite else {
                throw LoadMixError("bad share \"\(pair)\": write kind=number, e.g. new=60")
            }
            switch parts[0].lowercased() {
            case "new": new = share
            case "followup", "follow-up", "follow_up": followUp = share
            case "returning": returning = share
            case "authority": authority = share
            default: throw LoadMixError("unknown kind \"\(parts[0])\": new, followup, returning or authority")
            }
        }
        guard starting > 0 else { throw LoadMixError("the mix starts no conversations: give new, returning or authority a share") }
    }

    /// The shares of the kinds that start a conversation.
    public var starting: Double { new + returning + authority }
    /// All shares together.
    public var total: Double { starting + followUp }

    /// The share of `kind` among all webhooks, 0 to 1.
    public func fraction(_ kind: LoadPlan.Kind) -> Double {
        let share: Double
        switch kind {
        case .new: share = new
        case .followUp: share = followUp
        case .returning: share = returning
        case .authority: share = authority
        }
        return total > 0 ? share / total : 0
    }

    public var description: String {
        func format(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        return "new=\(format(new)),followup=\(format(followUp)),returning=\(format(returning)),authority=\(format(authority))"
    }
}

public struct LoadMixError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
