import Database
import Events
import GraphQLLanguage
import Logging
import SchemaModel

/// What a client is told when the database refuses a statement: a message and a code it can act
/// on, with the constraint, table or column it concerns by name — never SQL text or server
/// internals. The whole report goes to the log.
struct DatabaseErrorReport: Sendable {
    /// API names of the project's tables by `schema.table`, for naming them as clients know them.
    let tableNames: [String: String]
    let logger: Logger

    init(tables: [TableModel], logger: Logger) {
        var names: [String: String] = [:]
        for table in tables { names[table.qualifiedName] = table.name }
        self.tableNames = names
        self.logger = logger
    }

    func clientError(for error: any Error, path: [GraphQLError.PathComponent]) -> GraphQLError {
        var report = clientError(for: error)
        report.path = path
        return report
    }

    private func clientError(for error: any Error) -> GraphQLError {
        if error is CancellationError {
            return GraphQLError("The request was cancelled.", code: ErrorCode.cancelled)
        }
        switch error as? SessionPoolError {
        case .tooManyParameters(let count)?:
            return GraphQLError("The operation needs \(count) values in one statement, more than the \(PreparedSQL.maxParameters) PostgreSQL accepts; send fewer values per request.",
                                code: ErrorCode.validationFailed)
        case .poolExhausted?:
            logger.warning("no database connection became free in time")
            return GraphQLError("The server is busy: no database connection became free in time. Try again shortly.", code: ErrorCode.poolExhausted)
        case .shutDown?:
            return GraphQLError("The server is shutting down.", code: ErrorCode.databaseUnavailable)
        default:
            break
        }
        if ConnectionFault.isConnectionLevel(error) {
            logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return GraphQLError("The database is unavailable. Try again shortly.", code: ErrorCode.databaseUnavailable)
        }
        guard let info = DatabaseServerError.of(error), let state = info.sqlState else {
            logger.error("database request failed", metadata: ["error": "\(String(reflecting: error))"])
            return GraphQLError("The database could not be reached.", code: ErrorCode.databaseUnavailable)
        }
        let message = info[.message] ?? ""
        let table = info[.tableName].map { name in info[.schemaName].flatMap { tableNames[$0 + "." + name] } ?? name }
        let constraint = info[.constraintName]
        var details: [GraphQLError.Detail] = []
        if let table { details.append(.init("table", table)) }
        if let constraint { details.append(.init("constraint", constraint)) }
        let onTable = table.map { " of '\($0)'" } ?? ""
        let named = constraint.map { " ('\($0)')" } ?? ""
        switch state {
        case StrataMigrations.permissionCheckState:
            // Raised by strata.permission_check, whose table argument is already the API name.
            let checked = info[.tableName] ?? "a table"
            return GraphQLError("A row written to '\(checked)' does not satisfy the role's check; nothing was written.",
                                code: ErrorCode.permissionError, details: [.init("table", checked)])
        case "23505":
            return GraphQLError("A row\(onTable) with the same unique key already exists\(named).",
                                code: ErrorCode.constraintViolation, details: details)
        case "23503":
            return GraphQLError("A row\(onTable) refers to a row that does not exist, or is referred to by other rows\(named).",
                                code: ErrorCode.foreignKeyViolation, details: details)
        case "23502":
            let column = info[.columnName]
            if let column { details.append(.init("column", column)) }
            return GraphQLError("Column '\(column ?? "?")'\(onTable) needs a value.", code: ErrorCode.notNullViolation, details: details)
        case "23514":
            return GraphQLError("A row\(onTable) breaks a check constraint\(named).", code: ErrorCode.checkViolation, details: details)
        case "P0001":
            // RAISE EXCEPTION in a function of the project's own: its message is written for the
            // client, its HINT names the reason (insufficient-funds).
            let reason = info[.hint].map { [GraphQLError.Detail("reason", $0)] } ?? []
            return GraphQLError(message, code: ErrorCode.rejected, details: reason)
        case "57014":
            return GraphQLError("The query ran longer than the statement timeout and was stopped.", code: ErrorCode.timeout)
        case _ where state.hasPrefix("22"):
            // Data exceptions name the value and the type, both the client's own: `invalid input
            // syntax for type uuid: "abc"`.
            return GraphQLError("A value could not be used: \(message)", code: ErrorCode.dataException)
        case "42501":
            logger.warning("permission denied", metadata: ["error": "\(String(reflecting: error))"])
            if message.contains("row-level security") {
                return GraphQLError("The row\(onTable) is outside what the role may write.", code: ErrorCode.permissionError, details: details)
            }
            return GraphQLError("The role may not read or write some of what the request asks for.", code: ErrorCode.permissionError)
        default:
            logger.error("statement failed", metadata: ["sqlstate": "\(state)", "error": "\(String(reflecting: error))"])
            return GraphQLError("The database could not answer this request.", code: ErrorCode.databaseError)
        }
    }
}
