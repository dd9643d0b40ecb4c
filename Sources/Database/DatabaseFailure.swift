import PostgresNIO

/// A PostgreSQL error worded for the operator who runs Strata: what the server or the network said,
/// and what to do when the cause is a familiar one. Never includes the statement or bind values.
public struct DatabaseFailure: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ error: PSQLError, connecting endpoint: DatabaseEndpoint) {
        description = "could not use PostgreSQL as \(endpoint.displayName): \(Self.explain(error))"
    }

    public static func explain(_ error: PSQLError) -> String {
        if let info = error.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += " Hint: \(hint)" }
            if message.contains("role \"strata_authenticator\" does not exist") {
                text += " — run `strata migrate` first: the migrations create it"
            }
            return text
        }
        switch error.code {
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? "no further detail"
            return "the connection failed (\(cause)); check that the server is running and the host and port are right"
        case .serverClosedConnection:
            return "the server closed the connection"
        case .sslUnsupported:
            return "the server does not support TLS; add ?sslmode=disable to the URL to connect without it"
        default:
            return "\(error.code)"
        }
    }
}
