import PostgresNIO
import SwitchboardStore

extension PostgresStore {
    /// The migrated schema, for the schema parity test.
    package func schema() async throws -> StoreSchema {
        var tables: [String: [StoreSchema.Column]] = [:]
        let columns = try await client.query(
            """
            SELECT c.table_name::text, c.column_name::text, c.is_nullable = 'NO',
                EXISTS (
                    SELECT 1 FROM pg_index ix JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY (ix.indkey)
                    WHERE ix.indisprimary AND ix.indrelid = (quote_ident(c.table_name))::regclass AND a.attname = c.column_name)
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name != 'schema_migrations'
            """, logger: logger)
        for try await (table, column, notNull, primaryKey) in columns.decode((String, String, Bool, Bool).self) {
            tables[table, default: []].append(StoreSchema.Column(name: column, notNull: notNull, primaryKey: primaryKey))
        }
        var indexes: [StoreSchema.Index] = []
        let rows = try await client.query(
            """
            SELECT i.relname::text, t.relname::text, ix.indisunique, pg_get_expr(ix.indpred, ix.indrelid),
                ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k),
                EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = ix.indexrelid)
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname != 'schema_migrations'
            """, logger: logger)
        for try await (name, table, unique, predicate, keys, isConstraint) in rows.decode(
            (String, String, Bool, String?, [String], Bool).self)
        {
            indexes.append(
                StoreSchema.Index(
                    table: table, name: isConstraint ? nil : name, columns: keys, unique: unique, predicate: predicate))
        }
        return StoreSchema(tables: tables, indexes: indexes)
    }
}
