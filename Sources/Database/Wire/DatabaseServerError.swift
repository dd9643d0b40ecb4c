import PostgresNIO

/// An error PostgreSQL reported for a statement (an `ErrorResponse`): its SQLSTATE, message and
/// the objects it concerns, as the server named them. The same fields are read from PostgresNIO's
/// errors, so callers ask one type whichever client ran the statement.
public struct DatabaseServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The protocol's one-byte field codes.
    public enum Field: UInt8, Sendable {
        case severity = 0x56       // V, never localized
        case sqlState = 0x43       // C
        case message = 0x4D        // M
        case detail = 0x44         // D
        case hint = 0x48           // H
        case position = 0x50       // P
        case schemaName = 0x73     // s
        case tableName = 0x74      // t
        case columnName = 0x63     // c
        case constraintName = 0x6E // n
    }

    var fields: [UInt8: String]

    init(fields: [UInt8: String]) {
        self.fields = fields
    }

    public subscript(field: Field) -> String? { fields[field.rawValue] }

    public var sqlState: String? { self[.sqlState] }

    /// What the server reported about `error`, if it is an error the server reported.
    public static func of(_ error: any Error) -> DatabaseServerError? {
        if let error = error as? DatabaseServerError { return error }
        guard let info = (error as? PSQLError)?.serverInfo else { return nil }
        let pairs: [(Field, PSQLError.ServerInfo.Field)] = [
            (.severity, .severity), (.sqlState, .sqlState), (.message, .message), (.detail, .detail),
            (.hint, .hint), (.position, .position), (.schemaName, .schemaName), (.tableName, .tableName),
            (.columnName, .columnName), (.constraintName, .constraintName),
        ]
        var fields: [UInt8: String] = [:]
        for (field, theirs) in pairs { fields[field.rawValue] = info[theirs] }
        return DatabaseServerError(fields: fields)
    }

    public var description: String {
        "\(self[.severity] ?? "ERROR") \(sqlState ?? "?"): \(self[.message] ?? "")"
            + (self[.detail].map { " (\($0))" } ?? "")
    }
}
