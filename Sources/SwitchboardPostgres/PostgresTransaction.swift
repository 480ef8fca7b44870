import Logging
import PostgresNIO

/// Transactions that hold one of the store's advisory locks (``PostgresStore/Lock``) until they end.
enum PostgresTransaction {
    /// Runs `body` in a transaction holding `lock`: one such transaction at a time, across every instance.
    /// An error `body` throws comes out as it is (after the rollback), not wrapped: a refusal stays a refusal.
    static func run<T: Sendable>(
        _ client: PostgresClient, holding lock: PostgresStore.Lock, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        // Not PostgresNIO's withTransaction: its BEGIN and COMMIT are not checked (PostgresConnection+Checked.swift).
        try await client.withConnection { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(lock.rawValue))", logger: logger)
                let value = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                return value
            } catch {
                if !connection.isClosed {
                    do {
                        try await connection.checkedQuery("ROLLBACK", logger: logger)
                    } catch {
                        logger.warning("postgres rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                throw error
            }
        }
    }
}
