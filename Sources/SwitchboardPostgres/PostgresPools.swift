import PostgresNIO
import ServiceLifecycle

/// The store's connection pools run as one service: each until shutdown, which each sees.
struct PostgresPools: Service, CustomStringConvertible {
    let clients: [PostgresClient]

    var description: String { "PostgresPools(\(clients.count))" }

    func run() async {
        await withDiscardingTaskGroup { group in
            for client in clients {
                group.addTask { await client.run() }
            }
        }
    }
}
