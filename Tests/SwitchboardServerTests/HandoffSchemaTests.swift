import Foundation
import SwitchboardServer
import Testing

/// docs/handoff.schema.json is the contract desks code against: every delivery a real desk received
/// from real traffic must validate against it (with Python's jsonschema, not a checker of our own),
/// and the schema must reject deliveries that break it.
@Suite("Handoff schema")
struct HandoffSchemaTests {
    /// Driven once, shared by every test here.
    static let traffic = Task { try await ContractTraffic.drive() }

    @Test("the traffic covers every kind of delivery and every part schema version 2 added")
    func coverage() async throws {
        let traffic = try await Self.traffic.value
        #expect(traffic.first.value("kind") as? String == "handoff")
        #expect((traffic.first.value("history") as? [Any])?.isEmpty == true)
        #expect(traffic.first.value("history_summary.conversations") as? Int == 0)
        #expect(traffic.first.value("history_summary.last_outcome") == nil)
        #expect(traffic.message.value("kind") as? String == "message")
        #expect(traffic.message.value("message.text") as? String == "Order 1234, if that helps")

        let returning = traffic.returning
        #expect(returning.value("routing.rule") as? String == "previous agent")
        #expect(returning.value("history.0.outcome") as? String == "refunded")
        #expect((returning.value("history.0.agent_notes") as? [Any])?.count == 1)
        #expect(returning.value("history.0.transfers") as? Int == 0)
        #expect(returning.value("history_summary.conversations") as? Int == 1)
        #expect(returning.value("history_summary.last_outcome") as? String == "refunded")
        #expect(returning.value("history_summary.last_contact_at") is String)
        #expect(returning.value("history_summary.seconds_since_last_contact") is Int)
        #expect(returning.value("promises.0.what") as? String == "confirm the refund posted")
        #expect(returning.value("promises.0.agent_id") as? String == "ana")

        #expect(traffic.released.value("kind") as? String == "released")
        #expect(traffic.released.value("reason") as? String == "moved")
        #expect(traffic.transferred.value("routing.rule") as? String == "named")
        #expect(traffic.transferred.value("routing.moved_from") as? String == "ana")
        #expect(traffic.transferred.value("conversation.notes.0.agent_id") as? String == "ana")

        #expect(traffic.followUp.value("conversation.source") as? String == "promise")
        #expect(traffic.followUp.value("conversation.follow_up.status") as? String == "due")
        #expect(traffic.followUp.value("conversation.messages.0.from") as? String == "switchboard")
        #expect(traffic.followUp.value("conversation.attributes.follow_up") as? Bool == true)
        #expect(traffic.all.count == 6)
    }

    @Test("every delivery the desks received validates against docs/handoff.schema.json")
    func realDeliveriesValidate() async throws {
        let traffic = try await Self.traffic.value
        let verdict = try await SchemaValidator.validate(traffic.all)
        #expect(verdict.isValid, "\(verdict.output)")
        #expect(verdict.output.contains("\(traffic.all.count) documents valid"), "\(verdict.output)")
    }

    @Test("the examples in docs/handoff.md validate too")
    func documentedExamplesValidate() async throws {
        let page = try String(
            contentsOf: SchemaValidator.packageRoot.appendingPathComponent("docs/handoff.md"), encoding: .utf8)
        let examples = page.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        #expect(examples.count == 3)
        let verdict = try await SchemaValidator.validate(
            examples.enumerated().map { (name: "handoff.md-example-\($0.offset + 1)", body: Array($0.element.utf8)) })
        #expect(verdict.isValid, "\(verdict.output)")
    }

    /// A real delivery changed in one place, so that it breaks the contract.
    enum Breakage: String, CaseIterable, CustomTestStringConvertible {
        case requiredFieldRemoved, summaryRemoved, agentNotesRemoved, unknownField, olderVersion, unknownStatus
        case notADate, nullForAbsent, attributeObject, messageWithoutTime, unknownReleaseReason

        var testDescription: String { rawValue }

        func document(in traffic: ContractTraffic) -> DeskReceiver.Delivery {
            switch self {
            case .messageWithoutTime: traffic.message
            case .unknownReleaseReason: traffic.released
            default: traffic.returning
            }
        }

        /// The path changed, and its new value (nil removes it).
        var change: (path: String, value: Any?) {
            switch self {
            case .requiredFieldRemoved: ("routing.offer_deadline", nil)
            case .summaryRemoved: ("history_summary", nil)
            case .agentNotesRemoved: ("history.0.agent_notes", nil)
            case .unknownField: ("routing.score", 0.9)
            case .olderVersion: ("schema_version", 1)
            case .unknownStatus: ("history.0.status", "closed")
            case .notADate: ("promises.0.due", "tomorrow")
            case .nullForAbsent: ("routing.moved_from", NSNull())
            case .attributeObject: ("conversation.attributes.tier", ["level": "gold"])
            case .messageWithoutTime: ("message.sent_at", nil)
            case .unknownReleaseReason: ("reason", "declined")
            }
        }

        /// What the validator must say.
        var complaint: String {
            switch self {
            case .requiredFieldRemoved: "routing: 'offer_deadline' is a required property"
            case .summaryRemoved: "(root): 'history_summary' is a required property"
            case .agentNotesRemoved: "history/0: 'agent_notes' is a required property"
            case .unknownField: "routing: Additional properties are not allowed ('score' was unexpected)"
            case .olderVersion: "schema_version: 2 was expected"
            case .unknownStatus: "history/0/status: 'closed' is not one of"
            case .notADate: "promises/0/due: 'tomorrow' is not a 'date-time'"
            case .nullForAbsent: "routing/moved_from: None is not of type 'string'"
            case .attributeObject: "conversation/attributes/tier: {'level': 'gold'} is not of type"
            case .messageWithoutTime: "message: 'sent_at' is a required property"
            case .unknownReleaseReason: "reason: 'declined' is not one of ['moved', 'withdrawn', 'lapsed']"
            }
        }
    }

    @Test("the schema rejects a real delivery changed to break the contract", arguments: Breakage.allCases)
    func brokenDeliveryIsRejected(_ breakage: Breakage) async throws {
        let traffic = try await Self.traffic.value
        let original = try JSONSerialization.jsonObject(with: Data(breakage.document(in: traffic).body))
        let (path, value) = breakage.change
        let broken = try Self.changing(original, at: path.split(separator: ".").map(String.init)[...], to: value)
        let body = Array(try JSONSerialization.data(withJSONObject: broken, options: [.sortedKeys]))
        let verdict = try await SchemaValidator.validate([(name: breakage.rawValue, body: body)])
        #expect(!verdict.isValid, "accepted: \(String(decoding: body, as: UTF8.self))")
        #expect(verdict.output.contains(breakage.complaint), "\(verdict.output)")
    }

    /// `value` with the element at `path` (keys and list indexes) replaced, or removed when `new` is nil.
    static func changing(_ value: Any, at path: ArraySlice<String>, to new: Any?) throws -> Any {
        guard let key = path.first else { return new as Any }
        if var object = value as? [String: Any] {
            if path.count == 1 {
                object[key] = new
            } else {
                guard let inner = object[key] else { throw TestFailure("no \(key) to change") }
                object[key] = try changing(inner, at: path.dropFirst(), to: new)
            }
            return object
        }
        guard var list = value as? [Any], let index = Int(key), list.indices.contains(index) else {
            throw TestFailure("no \(key) to change in \(value)")
        }
        list[index] = try changing(list[index], at: path.dropFirst(), to: new)
        return list
    }
}
