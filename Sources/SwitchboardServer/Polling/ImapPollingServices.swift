import Curl
import Logging
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardPolling
import SwitchboardStore

/// One ``PollingService`` with an ``ImapPoller`` for each `imap` source (url, username and
/// password were checked at start-up; a source missing them is skipped with an error logged).
func imapPollingServices(
    sources: [SourceSettings], store: any SourceStore, client: CurlClient, signals: RoutingSignals, metrics: RoutingMetrics,
    lease: PollingLease? = nil, logger: Logger
) -> [any Service] {
    sources.filter { $0.kind == .imap }.compactMap { source -> (any Service)? in
        guard let url = source.url, let mailbox = ImapMailbox(url: url), let username = source.username,
            let password = source.password
        else {
            logger.error("imap source not polled: it needs an imaps:// url, username and password", metadata: ["source": "\(source.name)"])
            return nil
        }
        let poller = ImapPoller(
            source: source.name, mailbox: mailbox, username: username, password: password, senders: source.senders,
            client: client, logger: logger)
        return PollingService(
            source: source.name, poller: poller, store: store, interval: .milliseconds(Int64(source.interval * 1000)),
            observer: metrics, appended: { signals.eventsAppended() }, lease: lease, logger: logger)
    }
}
