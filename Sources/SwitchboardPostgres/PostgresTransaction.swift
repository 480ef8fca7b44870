import Logging
import PostgresNIO

/// Transactions that hold one of the store's advisory locks (``PostgresStore/Lock``) until they end.
enum PostgresTransaction {
    /// Runs `body` in a transaction holding `lock` (one such transaction at a time, across every instance), or
    /// none.
    /// An error `body` throws comes out as it is (after the rollback), not wrapped: a refusal stays a refusal.
    static func run<T: Sendable>(
        _ client: PostgresClient, holding lock: PostgresStore.Lock?, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        // A pooled connection may have closed while idle (the server restarted or ended the backend) without the
        // pool having noticed yet: nothing was done on it, so the transaction starts again on another one, after a
        // moment in which the pool learns of the close (it handed the same closed connection out again at once).
        var attempt = 1
        while true {
            do {
                return try await once(client, holding: lock, logger: logger, body)
            } catch let closed as ClosedBeforeBegin where attempt < 5 {
                logger.debug("postgres connection closed before BEGIN; taking another", metadata: ["error": "\(closed.error)"])
                try await Task.sleep(for: .milliseconds(20 * attempt))
                attempt += 1
            } catch let closed as ClosedBeforeBegin {
                throw closed.error
            }
        }
    }

    /// BEGIN failed on a connection that had already closed.
    private struct ClosedBeforeBegin: Error {
        var error: any Error
    }

    private static func once<T: Sendable>(
        _ client: PostgresClient, holding lock: PostgresStore.Lock?, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        // Not PostgresNIO's withTransaction: its BEGIN and COMMIT are not checked (PostgresConnection+Checked.swift).
        try await client.withConnection { connection in
            do {
                try await connection.checkedQuery("BEGIN", logger: logger)
            } catch where connection.isClosed {
                throw ClosedBeforeBegin(error: error)
            }
            do {
                if let lock {
                    try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(lock.rawValue))", logger: logger)
                }
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
