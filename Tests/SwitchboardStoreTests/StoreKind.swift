import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore
import TestSupport

/// The stores that must behave the same: every behaviour test runs against each.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    /// A fresh database of the test process's throwaway PostgreSQL cluster.
    case postgres

    var description: String { rawValue }

    /// A fresh, empty store, and a way to open it again (as after a restart).
    func make(
        limits: HistoryLimits = HistoryLimits()
    ) async throws -> (store: any Store, reopen: @Sendable () async throws -> any Store) {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("switchboard-store-\(UUID().uuidString)/test.db").path
            return (try SQLiteStore(path: path, historyLimits: limits), { try SQLiteStore(path: path, historyLimits: limits) })
        case .postgres:
            let url = try await PostgresCluster.shared().database()
            let logger = Logger(label: "test.postgres")
            return (
                try await PostgresStore.open(url: url, historyLimits: limits, logger: logger),
                { try await PostgresStore.open(url: url, historyLimits: limits, logger: logger) }
            )
        }
    }
}
