import HTTPTypes

/// What a call to the bearer-token API does, by method and path: the permission a token needs for it.
/// Admin tokens hold every permission, viewer tokens the reading ones, desk tokens those of
/// ``Permission/desk``, and only on their own agents' work.
enum Permission: String, Sendable, CaseIterable {
    case routesRead = "routes:read"
    case routesWrite = "routes:write"
    case auditRead = "audit:read"
    case agentsRead = "agents:read"
    case agentsWrite = "agents:write"
    case presenceWrite = "presence:write"
    case handoffsAnswer = "handoffs:answer"
    case conversationsRead = "conversations:read"
    case conversationsWrite = "conversations:write"
    case customersRead = "customers:read"
    case customersSearch = "customers:search"
    case customersWrite = "customers:write"
    case metricsRead = "metrics:read"
    case tokensRead = "tokens:read"
    case tokensWrite = "tokens:write"
    /// A path the API does not have: only an admin token gets as far as its 404.
    case unlisted = "admin"

    /// Whether the permission only reads.
    var reads: Bool {
        switch self {
        case .routesRead, .auditRead, .agentsRead, .conversationsRead, .customersRead, .customersSearch, .metricsRead,
            .tokensRead:
            true
        default: false
        }
    }

    /// What a desk token may do, for its own agents only: answer their offers, read and work their
    /// conversations, read those conversations' customers, and set their presence.
    static let desk: Set<Permission> = [.handoffsAnswer, .conversationsRead, .conversationsWrite, .customersRead, .presenceWrite]

    /// The POSTs that change nothing: a simulation and a replay read the draft and the store.
    static let readingPosts: Set<String> = ["/v1/routes/simulate", "/v1/routes/draft/replay"]

    /// The permission `method` on `path` needs (`/v1/...` or `/metrics`).
    static func required(method: HTTPRequest.Method, path: String) -> Permission {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let reading = method == .get || method == .head || readingPosts.contains(path)
        guard segments.first == "v1", segments.count >= 2 else { return .metricsRead }
        switch segments[1] {
        case "routes": return reading ? .routesRead : .routesWrite
        case "audit": return .auditRead
        case "desk-tokens": return reading ? .tokensRead : .tokensWrite
        case "agents":
            if reading { return .agentsRead }
            return segments.count == 4 && segments[3] == "presence" ? .presenceWrite : .agentsWrite
        case "handoffs": return reading ? .conversationsRead : .handoffsAnswer
        case "conversations": return reading ? .conversationsRead : .conversationsWrite
        case "customers":
            if segments.count == 2 { return reading ? .customersSearch : .customersWrite }
            if segments.count >= 4, segments[3] == "audit" { return .auditRead }
            return reading ? .customersRead : .customersWrite
        default: return .unlisted
        }
    }
}
