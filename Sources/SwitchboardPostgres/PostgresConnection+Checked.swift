import Logging
import PostgresNIO
import SwitchboardStore

extension PostgresConnection {
    /// `query`, refused at once on a connection that has closed.
    ///
    /// PostgresNIO 1.33 writes a query to its channel without a promise: on a channel that has closed (the
    /// server restarted, the pool closed its connections at shutdown) the query is dropped and its caller
    /// waits forever. A transaction whose connection closed between two statements, its `COMMIT` included,
    /// hung that way (one time in three when a test stopped two instances under traffic). The check runs
    /// before every statement the store sends on a connection it holds.
    @discardableResult
    func checkedQuery(
        _ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> PostgresRowSequence {
        guard !isClosed else { throw StoreError.unavailable("the connection to PostgreSQL closed (\(file):\(line))") }
        return try await self.query(query, logger: logger, file: file, line: line)
    }
}
