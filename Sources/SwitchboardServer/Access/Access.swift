/// Who made a request to the bearer-token API, and so what it may do (``Permission``).
enum Access: Sendable, Equatable {
    /// An admin token: everything.
    case admin
    /// A viewer token: every reading permission.
    case viewer
    /// A desk's token: ``Permission/desk``, for its own agents' work only.
    case desk(DeskGrant)

    /// Whether the caller holds `permission` at all (a desk token still acts only for its agents).
    func holds(_ permission: Permission) -> Bool {
        switch self {
        case .admin: true
        case .viewer: permission.reads
        case .desk: Permission.desk.contains(permission)
        }
    }

    /// The desk a desk token acts for; nil for admin and viewer tokens, which act for everyone.
    var desk: DeskGrant? {
        if case .desk(let grant) = self { grant } else { nil }
    }
}

extension AppRequestContext {
    /// The agents a desk token acts for; nil for an admin or viewer token, which act for everyone.
    var deskAgents: Set<String>? { access?.desk?.agents }
}

/// What one desk token may act for.
struct DeskGrant: Sendable, Equatable {
    /// `ana/1`: the token's id, for audit trails and logs.
    var tokenId: String
    /// The agents whose work it may do.
    var agents: Set<String>

    /// The actor audit trails record: `desk:ana/1`.
    var actor: String { "desk:\(tokenId)" }
}
