import Foundation
import SwitchboardCore
import SwitchboardStore

/// The stores that must behave the same. PostgreSQL joins this list when it exists.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite

    var description: String { rawValue }

    /// A fresh, empty store, and where it lives (for reopening).
    func make(
        limits: HistoryLimits = HistoryLimits()
    ) throws -> (store: any Store, reopen: @Sendable () throws -> any Store) {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("switchboard-store-\(UUID().uuidString)/test.db").path
            return (try SQLiteStore(path: path, historyLimits: limits), { try SQLiteStore(path: path, historyLimits: limits) })
        }
    }
}
