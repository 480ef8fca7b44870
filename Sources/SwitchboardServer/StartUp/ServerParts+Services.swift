import ServiceLifecycle
import SwitchboardDelivery
import SwitchboardPolling

extension ServerParts {
    /// The background services. The store comes first, so that it stops last; every service that uses the
    /// store starts once start-up is done.
    func services() -> [any Service] {
        let lease = config.storage.postgres.isEmpty
            ? nil : PollingLease(holder: instance, seconds: config.instances.leaseSeconds)
        let policy = DeliveryPolicy(
            timeout: .milliseconds(Int(config.delivery.timeoutSeconds * 1000)),
            initialBackoff: .milliseconds(Int(config.delivery.initialBackoffSeconds * 1000)),
            maxBackoff: .milliseconds(Int(config.delivery.maxBackoffSeconds * 1000)))
        var usingStore: [any Service] = [
            DeliveryService(store: store, client: client, wake: signals.delivery, policy: policy, logger: logger),
            WriteBackService(
                store: store, client: client, targets: writeBacks, wake: signals.writeBack, policy: policy,
                observer: metrics, logger: logger),
            RouterService(store: store, sources: sources, dispatcher: dispatcher, signals: signals, logger: logger),
            MaintenanceService(store: store, retention: Double(config.inbound.retentionDays) * 86_400, logger: logger),
            RoutesWatcher(
                tables: routeTables, interval: .milliseconds(Int(config.routesReloadSeconds * 1000)), logger: logger),
        ]
        usingStore += matrix.services(
            store: store, observer: metrics, appended: { signals.eventsAppended() }, lease: lease, logger: logger)
            as [any Service]
        usingStore += imapPollingServices(
            sources: config.sources, store: store, client: client, signals: signals, metrics: metrics, lease: lease,
            logger: logger)
        return [store, CurlClientService(client: client)]
            + usingStore.map { AfterStartUp(gate: gate, service: $0) }
    }
}
