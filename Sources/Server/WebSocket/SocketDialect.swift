import Foundation

/// The two GraphQL-over-WebSocket protocols, told apart by `Sec-WebSocket-Protocol`.
public enum SocketDialect: String, Sendable, CaseIterable {
    /// The graphql-ws library's protocol (`subscribe` / `next` / `complete`, close codes 44xx).
    case transport = "graphql-transport-ws"
    /// subscriptions-transport-ws, Apollo's older protocol (`start` / `data` / `stop`, `ka`).
    case legacy = "graphql-ws"

    /// The protocol to speak for a client offering `offered` (the header's comma-separated
    /// list), the newer one first; nil when it offers neither.
    public static func choose(from offered: String?) -> SocketDialect? {
        let names = (offered ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return allCases.first { names.contains($0.rawValue) }
    }

    /// The type of the message answering results.
    var resultType: String { self == .transport ? "next" : "data" }
}

/// The close codes of `graphql-transport-ws`; legacy clients are closed with them too.
public enum SocketCloseCode: UInt16, Sendable {
    case normal = 1000
    case goingAway = 1001
    case protocolError = 1002
    case messageTooBig = 1009
    /// The tenant holds as many connections as it may.
    case tryAgainLater = 1013
    case invalidMessage = 4400
    case unauthorized = 4401
    case forbidden = 4403
    case subprotocolNotAcceptable = 4406
    case initTimeout = 4408
    case duplicateSubscriber = 4409
    case tooManyInitRequests = 4429
    case internalError = 4500
}
