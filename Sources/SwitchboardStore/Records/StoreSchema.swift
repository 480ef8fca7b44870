import Foundation
/// A migrated store's schema as both stores can describe it: tables, their columns, and their
/// indexes, without the column types (each database names its own). The schema parity test
/// compares the SQLite and PostgreSQL descriptions.
package struct StoreSchema: Sendable, Equatable {
    package struct Column: Sendable, Hashable, Comparable, CustomStringConvertible {
        package var name: String
        package var notNull: Bool
        package var primaryKey: Bool

        package init(name: String, notNull: Bool, primaryKey: Bool) {
            self.name = name
            // A primary key column never holds NULL, though SQLite's `table_info` leaves it unmarked.
            self.notNull = notNull || primaryKey
            self.primaryKey = primaryKey
        }

        package static func < (a: Column, b: Column) -> Bool { a.name < b.name }

        package var description: String {
            name + (primaryKey ? " PRIMARY KEY" : "") + (notNull ? " NOT NULL" : "")
        }
    }

    /// An index other than the primary key's. A unique constraint's index is named by each database
    /// in its own way, so it is described by its columns alone (`name` nil).
    package struct Index: Sendable, Hashable, Comparable, CustomStringConvertible {
        package var table: String
        package var name: String?
        package var columns: [String]
        package var unique: Bool
        /// A partial index's condition, normalised: lower case, no casts or parentheses, `!=` for `<>`.
        package var predicate: String?

        package init(table: String, name: String?, columns: [String], unique: Bool, predicate: String?) {
            self.table = table
            self.name = name
            self.columns = columns
            self.unique = unique
            self.predicate = predicate.map(Self.normalise)
        }

        package static func < (a: Index, b: Index) -> Bool { a.description < b.description }

        package var description: String {
            "\(table): \(name ?? "constraint") (\(columns.joined(separator: ", ")))" + (unique ? " UNIQUE" : "")
                + (predicate.map { " WHERE \($0)" } ?? "")
        }

        static func normalise(_ predicate: String) -> String {
            var text = predicate.lowercased()
            for cast in ["::text", "::double precision", "::bigint", "::integer"] {
                text = text.replacingOccurrences(of: cast, with: "")
            }
            text = text.replacingOccurrences(of: "<>", with: "!=")
            text = String(text.filter { $0 != "(" && $0 != ")" })
            return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }

    /// Columns by table, each sorted by name.
    package var tables: [String: [Column]]
    package var indexes: [Index]

    package init(tables: [String: [Column]], indexes: [Index]) {
        self.tables = tables.mapValues { $0.sorted() }
        self.indexes = indexes.sorted()
    }
}
