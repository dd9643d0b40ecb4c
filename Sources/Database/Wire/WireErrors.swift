// What can go wrong between Strata and PostgreSQL below the level of a statement's own error
// (`DatabaseServerError`).

/// The server sent something the protocol does not allow at that point; the connection is closed.
public struct WireProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ what: String) { description = "PostgreSQL sent \(what)" }
}

/// Connecting failed while proving who Strata is, or the server asked for a method Strata does
/// not speak.
public struct AuthenticationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The connection to PostgreSQL could not be made, or broke: the statement's fate is unknown
/// only if it was sent, and the database is treated as unavailable either way.
public struct WireConnectionFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    static func closed(by error: DatabaseServerError?, cause: (any Error)? = nil) -> any Error {
        if let error { return error }
        return WireConnectionFailure("the connection to PostgreSQL closed" + (cause.map { " (\($0))" } ?? ""))
    }
}
