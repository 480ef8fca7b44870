import Foundation
import GRDB
import SwitchboardStore

extension SQLiteStore {
    /// The migrated schema of both files (the state and the inbound log), for the schema parity test.
    package func schema() async throws -> StoreSchema {
        let state = try await pool.read { db in try Self.describe(db) }
        let inbound = try await self.inbound.read { db in try Self.describe(db) }
        return StoreSchema(
            tables: state.tables.merging(inbound.tables) { first, _ in first },
            indexes: state.indexes + inbound.indexes)
    }

    private static func describe(_ db: Database) throws -> StoreSchema {
        let names = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name
                """)
        var tables: [String: [StoreSchema.Column]] = [:]
        var indexes: [StoreSchema.Index] = []
        for table in names {
            tables[table] = try Row.fetchAll(db, sql: "SELECT name, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table])
                .map { StoreSchema.Column(name: $0["name"], notNull: $0["notnull"], primaryKey: ($0["pk"] as Int) > 0) }
            for index in try Row.fetchAll(
                db, sql: "SELECT name, \"unique\", origin FROM pragma_index_list(?)", arguments: [table])
            where index["origin"] as String != "pk" {
                let name: String = index["name"]
                let columns = try String?.fetchAll(
                    db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [name]
                ).map { $0 ?? "(expression)" }
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name])
                let predicate = sql?.range(of: " WHERE ", options: .caseInsensitive).map { String(sql![$0.upperBound...]) }
                indexes.append(
                    StoreSchema.Index(
                        table: table, name: index["origin"] as String == "c" ? name : nil, columns: columns,
                        unique: index["unique"], predicate: predicate?.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
        return StoreSchema(tables: tables, indexes: indexes)
    }
}
