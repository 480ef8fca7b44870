import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/v1/customers`: one customer across channels (identities, conversations, open promises), found by
/// id or by identity; merging two customers, splitting an identity off, and the audit trail of both.
struct CustomersController {
    let store: any ConversationStore

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: find)
        routes.get(":id", use: show)
        routes.get(":id/audit", use: audit)
        routes.post(":id/merge", use: merge)
        routes.post(":id/unmerge", use: unmerge)
        return routes
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> CustomerView {
        let id = try context.parameters.require("id")
        guard let agents = context.deskAgents else { return CustomerView(record: try await record(id)) }
        // A desk token reads the customers of the conversations its agents have open, and learns nothing of
        // anyone else: not even whether they exist or were merged.
        let record = try? await store.customer(id: id)
        guard let record,
            record.conversations.contains(where: { $0.status != .resolved && $0.agentId.map(agents.contains) == true })
        else { throw HTTPError(.notFound, message: "unknown customer \"\(id)\"") }
        return CustomerView(record: record)
    }

    /// `GET /v1/customers?identity=email:ana@example.com`.
    @Sendable func find(request: Request, context: AppRequestContext) async throws -> CustomerView {
        guard let text = request.uri.queryParameters.get("identity") else {
            throw HTTPError(.badRequest, message: "name a customer: GET /v1/customers/{id} or ?identity=email:ana@example.com")
        }
        let identity = try Self.identity(text)
        guard let id = try await store.customerId(for: identity) else {
            throw HTTPError(.notFound, message: "no customer has the identity \(identity)")
        }
        return CustomerView(record: try await record(id))
    }

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> AuditView {
        let id = try context.parameters.require("id")
        let entries = try await store.customerAudit(id: id)
        if entries.isEmpty { _ = try await record(id) }
        return AuditView(customerId: id, entries: entries)
    }

    struct MergeBody: Decodable {
        var from: String
    }

    @Sendable func merge(request: Request, context: AppRequestContext) async throws -> ChangeView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(MergeBody.self, from: request, context: context)
        let entry = try await change {
            try await store.merge(into: id, from: body.from, actor: context.actor ?? "unknown", now: Date())
        }
        return ChangeView(customer: try await record(id), created: nil, audit: entry)
    }

    /// `{"identity": "email:ana@example.com"}` or `{"identity": {"kind": "email", "value": "ana@example.com"}}`.
    struct UnmergeBody: Decodable {
        var identity: IdentityInput

        enum IdentityInput: Decodable {
            case text(String)
            case parts(kind: String, value: String)

            init(from decoder: any Decoder) throws {
                if let text = try? decoder.singleValueContainer().decode(String.self) {
                    self = .text(text)
                    return
                }
                struct Parts: Decodable {
                    var kind: String
                    var value: String
                }
                let parts = try Parts(from: decoder)
                self = .parts(kind: parts.kind, value: parts.value)
            }

            var written: String {
                switch self {
                case .text(let text): text
                case .parts(let kind, let value): "\(kind):\(value)"
                }
            }
        }
    }

    @Sendable func unmerge(request: Request, context: AppRequestContext) async throws -> ChangeView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(UnmergeBody.self, from: request, context: context)
        let identity = try Self.identity(body.identity.written)
        let entry = try await change {
            try await store.unmerge(identity, from: id, actor: context.actor ?? "unknown", now: Date())
        }
        return ChangeView(customer: try await record(id), created: try await record(entry.otherCustomerId), audit: entry)
    }

    /// `email:…`, `phone:…` or `source_user:source:id`, normalised as inbound messages are.
    static func identity(_ text: String) throws -> Identity {
        guard let identity = Identity(parsing: text) else {
            throw HTTPError(
                .unprocessableContent,
                message:
                    "identity \"\(text)\" must be email:<address>, phone:<E.164 number> or source_user:<source>:<id>")
        }
        return identity
    }

    private func record(_ id: String) async throws -> CustomerRecord {
        try await change { try await store.customer(id: id) }
    }

    /// Runs a store call, turning a refused customer change into its HTTP answer.
    private func change<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            switch error {
            case .unknownCustomer: throw HTTPError(.notFound, message: error.description)
            case .mergedAway: throw HTTPError(.gone, message: error.description)
            case .sameCustomer: throw HTTPError(.unprocessableContent, message: error.description)
            // A well-formed request that this customer's identities refuse.
            case .identityNotHeld, .onlyIdentity: throw HTTPError(.conflict, message: error.description)
            default: throw error
            }
        }
    }
}

struct CustomerView: ResponseEncodable, Sendable {
    var record: CustomerRecord

    func encode(to encoder: any Encoder) throws { try record.encode(to: encoder) }
}

struct AuditView: ResponseEncodable, Sendable {
    var customerId: String
    var entries: [CustomerAuditEntry]

    enum CodingKeys: String, CodingKey {
        case entries
        case customerId = "customer_id"
    }
}

/// The customer after a merge or unmerge, the customer an unmerge created, and the audit entry.
struct ChangeView: ResponseEncodable, Sendable {
    var customer: CustomerRecord
    var created: CustomerRecord?
    var audit: CustomerAuditEntry
}
