import PostgresNIO

extension PostgresStore {
    /// Runs one SQL statement as it is, outside any transaction: for tests that set up rows the public
    /// API makes only by routing. Never for values from outside.
    package func execute(unsafeSQL sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
