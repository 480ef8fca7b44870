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
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(lock.rawValue))", logger: logger)
                return try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            guard let closureError = error.closureError else { throw error }
            if let rollbackError = error.rollbackError {
                logger.warning("postgres rollback failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
            }
            throw closureError
        }
    }
}
