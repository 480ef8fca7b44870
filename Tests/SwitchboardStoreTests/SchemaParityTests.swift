import Foundation
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// Both stores, freshly migrated, describe the same tables, columns and indexes: the schema is written
/// twice (once per database's dialect), and this is what keeps the two from drifting apart.
@Suite("Schema parity")
struct SchemaParityTests {
    /// What PostgreSQL has and SQLite has not, on purpose, by table; every other column is in both.
    static let onlyInPostgres: [String: Set<String>] = [
        // Several instances: a counter they compare to know when another one changed routing state.
        "routing_version": ["id", "version"],
        // What each version changed, for the instances behind it to catch up on.
        "routing_changes": ["version", "conversations", "agents"],
        // SQLite's rowid, which PostgreSQL lacks: the order rows were written in.
        "conversations": ["position"],
        // The same, and the instance that claimed a delivery or write-back and until when.
        "deliveries": ["position"],
        "write_backs": ["position"],
    ]

    @Test("SQLite and PostgreSQL migrate to the same tables, columns and indexes")
    func sameSchema() async throws {
        let (sqlite, _) = try await StoreKind.sqlite.make()
        let (postgres, _) = try await StoreKind.postgres.make()
        let lite = try await (sqlite as! SQLiteStore).schema()
        let pg = try await (postgres as! PostgresStore).schema()

        #expect(lite.tables.count >= 20, "the SQLite schema looks empty: \(lite.tables.keys.sorted())")
        #expect(lite.indexes.count >= 15, "the SQLite indexes look missing: \(lite.indexes)")
        #expect(
            Set(lite.tables.keys).symmetricDifference(pg.tables.keys) == ["routing_version", "routing_changes"],
            "tables only in SQLite: \(Set(lite.tables.keys).subtracting(pg.tables.keys).sorted()); only in PostgreSQL: \(Set(pg.tables.keys).subtracting(lite.tables.keys).sorted())")
        for table in Set(lite.tables.keys).union(pg.tables.keys).sorted() {
            let a = Set(lite.tables[table] ?? [])
            let b = Set((pg.tables[table] ?? []).filter { !(Self.onlyInPostgres[table] ?? []).contains($0.name) })
            #expect(
                a == b,
                "\(table): only in SQLite \(a.subtracting(b).sorted()); only in PostgreSQL \(b.subtracting(a).sorted())")
            let extra = Set((pg.tables[table] ?? []).map(\.name)).subtracting(a.map(\.name))
            #expect(extra == Self.onlyInPostgres[table] ?? [], "\(table): PostgreSQL's own columns are \(extra.sorted())")
        }
        let a = Set(lite.indexes), b = Set(pg.indexes)
        #expect(
            a == b,
            "indexes only in SQLite: \(a.subtracting(b).sorted()); only in PostgreSQL: \(b.subtracting(a).sorted())")
    }
}
