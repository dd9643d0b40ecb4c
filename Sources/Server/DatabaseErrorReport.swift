import GraphQLLanguage
import Logging
import PostgresNIO

/// What a client is told when the database refuses a statement: a message and a code it can act
/// on, never SQL text or server internals. The whole report goes to the log.
enum DatabaseErrorReport {
    static func clientError(for error: any Error, logger: Logger) -> GraphQLError {
        if error is CancellationError {
            return GraphQLError("The request was cancelled.", code: ErrorCode.cancelled)
        }
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else {
            logger.error("database request failed", metadata: ["error": "\(String(reflecting: error))"])
            return GraphQLError("The database could not be reached.", code: ErrorCode.databaseUnavailable)
        }
        let message = error.serverInfo?[.message] ?? ""
        switch state {
        case "57014":
            return GraphQLError("The query ran longer than the statement timeout and was stopped.", code: ErrorCode.timeout)
        case _ where state.hasPrefix("22"):
            // Data exceptions name the value and the type, both the client's own: `invalid input
            // syntax for type uuid: "abc"`.
            return GraphQLError("A value could not be used: \(message)", code: ErrorCode.dataException)
        case "42501":
            logger.warning("permission denied", metadata: ["error": "\(String(reflecting: error))"])
            return GraphQLError("The role may not read some of what the request asks for.", code: ErrorCode.permissionError)
        default:
            logger.error("statement failed", metadata: ["sqlstate": "\(state)", "error": "\(String(reflecting: error))"])
            return GraphQLError("The database could not answer this request.", code: ErrorCode.databaseError)
        }
    }
}
