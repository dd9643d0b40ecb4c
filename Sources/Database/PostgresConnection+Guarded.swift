import Logging
import PostgresNIO

extension PostgresConnection {
    /// `query`, written only to an open connection. PostgresNIO never answers a statement written
    /// to a connection that has closed — its caller would wait forever, as after a database
    /// restart — so the check and the write happen together on the connection's event loop,
    /// where the connection closes too: either the statement is refused at once, or it is
    /// written and failed by the close.
    public func guardedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await withTaskExecutorPreference(EventLoopExecutor.of(eventLoop)) {
            guard !isClosed else { throw SessionPoolError.connectionLost }
            return try await self.query(query, logger: logger, file: file, line: line)
        }
    }
}
