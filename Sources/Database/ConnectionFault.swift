import PostgresNIO

/// Failures that say the database or the way to it is gone, not that the statement was wrong:
/// connecting failed, the server closed the connection, or the server is shutting down or not
/// yet accepting connections (SQLSTATE classes 08 and 57P). Clients see them as
/// `database-unavailable` (HTTP 503); they count against the circuit breaker.
public enum ConnectionFault {
    public static func isConnectionLevel(_ error: any Error) -> Bool {
        if let error = error as? SessionPoolError {
            switch error {
            case .connectionLost, .databaseUnavailable: return true
            default: return false
            }
        }
        if error is WireConnectionFailure || error is WireProtocolError { return true }
        if let state = DatabaseServerError.of(error)?.sqlState {
            return state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
        }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return true
        default:
            return false
        }
    }
}
