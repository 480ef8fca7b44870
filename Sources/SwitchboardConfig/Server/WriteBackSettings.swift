/// The platforms Switchboard can tell who took a conversation.
public enum WriteBackKind: String, Sendable, CaseIterable {
    /// The ticket's assignee (`PUT /api/v2/tickets/{id}.json`).
    case zendesk
    /// An assignment part (`POST /conversations/{id}/parts`).
    case intercom
    /// The conversation's assignee (`PUT /conversations/{id}/assignee`).
    case front

    /// The write-back of a source of this kind when `write_back.kind` is not given; nil for kinds whose
    /// platform has none.
    public init?(source kind: SourceKind) {
        self.init(rawValue: kind.rawValue)
    }

    /// The API's address when `api_url` is not given; nil when it differs per account (Zendesk's subdomain).
    public var defaultAPIURL: String? {
        switch self {
        case .zendesk: nil
        case .intercom: "https://api.intercom.io"
        case .front: "https://api2.frontapp.com"
        }
    }
}

/// Telling a source's platform who took a conversation, once the agent accepts the offer (`write_back` in a
/// source): `{api_url: "https://acme.zendesk.com", email: "ops@acme.com", api_token: "..."}`.
///
/// The token can come from `SWITCHBOARD_SOURCES_<NAME>_WRITE_BACK_API_TOKEN`; it never appears in logs or in
/// this type's description.
public struct WriteBackSettings: Sendable, Equatable, CustomStringConvertible {
    /// The platform written to: `kind` in `write_back`, or else the source's own kind.
    public var kind: WriteBackKind
    /// The API's base URL, http(s), without a trailing slash: `https://acme.zendesk.com`; for Intercom
    /// `https://api.intercom.io` (or `api.eu.`/`api.au.`) and for Front `https://api2.frontapp.com` by default.
    public var apiURL: String
    /// The Zendesk user the API token belongs to (`{email}/token:{api_token}`); Zendesk only.
    public var email: String?
    /// Zendesk's API token, Intercom's access token or Front's API token.
    public var apiToken: String
    /// Intercom only: the admin the assignment is made as. When not given, the agent assigns the conversation
    /// to themselves.
    public var adminId: String?

    /// Creates write-back settings.
    public init(kind: WriteBackKind, apiURL: String, email: String? = nil, apiToken: String, adminId: String? = nil) {
        self.kind = kind
        self.apiURL = apiURL
        self.email = email
        self.apiToken = apiToken
        self.adminId = adminId
    }

    /// `zendesk at https://acme.zendesk.com`, without credentials.
    public var description: String { "\(kind.rawValue) at \(apiURL)" }
}
