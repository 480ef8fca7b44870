import Curl
import Foundation
import Logging
import SwitchboardCore

/// Looks up a Slack user's email and name with the Web API's `users.info` (a bot token with the
/// `users:read` and `users:read.email` scopes), so that a Slack user joins the customer they are on
/// other channels. Slack's events carry only the user id.
///
/// Lookups run in the router, never on the request path (Slack wants its answer within 3 seconds).
/// Answers are cached for an hour; a failed lookup is retried after a minute, and the message is
/// routed meanwhile with the user id alone.
actor SlackDirectory {
    struct Entry {
        var email: String?
        var name: String?
        var until: Date
    }

    private let client: CurlClient
    private let token: String
    /// `https://slack.com/api`, or a stand-in in tests.
    private let apiURL: String
    private let logger: Logger
    private var cache: [String: Entry] = [:]
    /// The most users kept: when full, the lapsed entries go, then the half that lapse soonest.
    let capacity: Int

    init(
        client: CurlClient, token: String, apiURL: String = "https://slack.com/api", capacity: Int = 10_000,
        logger: Logger
    ) {
        self.client = client
        self.token = token
        self.capacity = capacity
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.logger = logger
    }

    /// The message with the user's email and name filled in when Slack knows them.
    func enrich(_ message: InboundMessage, now: Date = Date()) async -> InboundMessage {
        guard message.customer.email == nil, let user = message.customer.externalId else { return message }
        let entry: Entry
        if let cached = cache[user], cached.until > now {
            entry = cached
        } else {
            entry = await lookUp(user, now: now)
            if cache[user] == nil, cache.count >= capacity { evict(now: now) }
            cache[user] = entry
        }
        var enriched = message
        if let email = entry.email, Identity.email(email) != nil { enriched.customer.email = email }
        if enriched.customer.name == nil { enriched.customer.name = entry.name }
        return enriched
    }

    /// How many users are cached.
    var cachedCount: Int { cache.count }

    /// Makes room: lapsed entries first, then those that lapse soonest, down to half the capacity (so
    /// that the next evictions are far apart).
    private func evict(now: Date) {
        cache = cache.filter { $0.value.until > now }
        guard cache.count >= capacity else { return }
        let keep = cache.sorted { $0.value.until > $1.value.until }.prefix(capacity / 2)
        cache = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }

    struct UsersInfo: Decodable {
        struct User: Decodable {
            struct Profile: Decodable {
                var email: String?
                var real_name: String?
            }
            var real_name: String?
            var profile: Profile?
        }
        var ok: Bool
        var error: String?
        var user: User?
    }

    private func lookUp(_ user: String, now: Date) async -> Entry {
        let query = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user
        let request = CurlRequest(
            url: "\(apiURL)/users.info?user=\(query)", headers: [HTTPHeader("Authorization", "Bearer \(token)")],
            timeout: .seconds(5))
        do {
            let response = try await client.execute(request)
            let info = try JSONDecoder().decode(UsersInfo.self, from: Data(response.body))
            guard response.status == 200, info.ok, let found = info.user else {
                logger.warning(
                    "slack users.info refused a lookup",
                    metadata: ["user": "\(user)", "status": "\(response.status)", "error": "\(info.error ?? "none")"])
                return Entry(until: now.addingTimeInterval(60))
            }
            return Entry(
                email: found.profile?.email, name: found.real_name ?? found.profile?.real_name,
                until: now.addingTimeInterval(3600))
        } catch {
            logger.warning("slack users.info failed", metadata: ["user": "\(user)", "error": "\(error)"])
            return Entry(until: now.addingTimeInterval(60))
        }
    }
}
