import Curl
import Logging
import SwitchboardConfig
import SwitchboardDelivery
import SwitchboardPolling
import SwitchboardStore

/// The `matrix` sources of a configuration: one ``MatrixClient`` each, shared by the source's poller and the
/// write-back that posts the "... has your conversation" notice (so a password login happens once).
struct MatrixSources {
    /// By source name.
    let clients: [String: MatrixClient]
    /// Whose invitations each source's bot accepts, by source name.
    let joinFrom: [String: Set<String>]

    init(_ sources: [SourceSettings], client: CurlClient) {
        var clients: [String: MatrixClient] = [:]
        var joinFrom: [String: Set<String>] = [:]
        for source in sources where source.kind == .matrix {
            joinFrom[source.name] = Set(source.joinFrom)
            guard let homeserver = source.homeserver, let user = source.user else { continue }  // refused at start-up
            clients[source.name] = MatrixClient(
                homeserver: homeserver, user: user, accessToken: source.accessToken, password: source.password,
                client: client)
        }
        self.clients = clients
        self.joinFrom = joinFrom
    }

    /// Each matrix source's notice write-back, by source name: every matrix source has one.
    var writeBackTargets: [String: WriteBackTarget] {
        clients.mapValues { matrix in
            WriteBackTarget(
                platform: .matrix, apiURL: matrix.homeserver, apiToken: "",
                accessToken: { try await matrix.accessToken() })
        }
    }

    /// One polling service per matrix source: the long-poll itself waits, so there is no interval between polls.
    func services(
        store: any SourceStore, observer: any PollingObserver, appended: @escaping @Sendable () -> Void,
        lease: PollingLease? = nil, logger: Logger
    ) -> [PollingService] {
        clients.sorted { $0.key < $1.key }.map { name, matrix in
            PollingService(
                source: name, poller: MatrixPoller(source: name, client: matrix, joinFrom: joinFrom[name] ?? [], logger: logger), store: store,
                interval: .zero, observer: observer, appended: appended, lease: lease, logger: logger)
        }
    }
}
