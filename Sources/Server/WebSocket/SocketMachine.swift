import GraphQLLanguage
import GraphQLTypeSystem
import Planner

/// One GraphQL WebSocket connection's protocol, as a pure state machine: messages, timer ticks
/// and the outcomes of work it asked for go in; messages to send, work to do and the close go
/// out. It never touches a socket, a clock or the database, so every rule of both dialects is
/// tested without them; `SocketConnectionHandler` carries out what it asks.
struct SocketMachine {
    enum Input {
        /// A whole text message.
        case text([UInt8])
        /// A binary message: neither dialect has any.
        case binary
        /// The init timeout passed.
        case initTimeout
        /// The heartbeat's interval passed.
        case heartbeat
        /// The session's token expired.
        case tokenExpired
        case authenticated(Session)
        case authenticationFailed(String)
        /// Operation `id` ran: its result object (`{"data":…}` or with `errors`) as JSON text.
        case executed(id: String, result: String)
        /// Subscription `id` has a (new) result; it goes on.
        case next(id: String, result: String)
        /// Operation `id` was refused before it ran (syntax, validation, variables).
        case refused(id: String, errors: [GraphQLError])
        /// The server could not carry on with the connection's work: close with 4500.
        case internalFailure(String)
    }

    enum Action: Equatable {
        /// Send this JSON text message.
        case send(String)
        /// Send a close frame with this code and reason, then close the connection.
        case close(SocketCloseCode, String)
        /// Verify this `Authorization` value (nil: none was given) and answer `authenticated`
        /// or `authenticationFailed`.
        case authenticate(String?)
        /// Run operation `id` under `session`, after the ones asked for before it; answer
        /// `executed` or `refused`.
        case execute(id: String, GraphQLRequest, Session)
        /// Stop operation `id`; its answer, if one still comes, is ignored.
        case cancel(id: String)
    }

    private enum Phase {
        /// Waiting for `connection_init`.
        case opened
        /// `connection_init` arrived; its token is being checked.
        case authenticating
        case ready(Session)
        case closed
    }

    let dialect: SocketDialect
    /// The upgrade request's `Authorization`, used when `connection_init` carries none.
    let upgradeAuthorization: String?
    private var phase = Phase.opened
    /// Operations asked for and not yet answered or completed.
    private(set) var active: Set<String> = []
    /// Pings sent since the last pong.
    private var unansweredPings = 0

    init(dialect: SocketDialect, upgradeAuthorization: String?) {
        self.dialect = dialect
        self.upgradeAuthorization = upgradeAuthorization
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    mutating func receive(_ input: Input) -> [Action] {
        if isClosed { return [] }
        switch input {
        case .text(let bytes):
            do {
                return received(try ClientMessage.read(bytes, dialect: dialect))
            } catch {
                guard dialect == .legacy else { return close(.invalidMessage, error.reason) }
                // The legacy protocol answers a bad message with an error and carries on.
                return [.send(#"{"type":"error","id":"","payload":{"message":\#(JSONText.quoted(error.reason))}}"#)]
            }
        case .binary:
            return close(.invalidMessage, "Invalid message received: binary")
        case .initTimeout:
            guard case .opened = phase else { return [] }
            return close(.initTimeout, "Connection initialisation timeout")
        case .heartbeat:
            return heartbeat()
        case .tokenExpired:
            return close(.forbidden, "Forbidden: the token has expired")
        case .internalFailure(let reason):
            return close(.internalError, "Internal server error: " + reason)
        case .authenticated(let session):
            guard case .authenticating = phase else { return [] }
            phase = .ready(session)
            switch dialect {
            case .transport: return [.send(#"{"type":"connection_ack"}"#)]
            case .legacy: return [.send(#"{"type":"connection_ack"}"#), .send(#"{"type":"ka"}"#)]
            }
        case .authenticationFailed(let reason):
            guard case .authenticating = phase else { return [] }
            switch dialect {
            case .transport:
                return close(.forbidden, "Forbidden: \(reason)")
            case .legacy:
                let message = #"{"type":"connection_error","payload":{"message":\#(JSONText.quoted(reason))}}"#
                return [.send(message)] + close(.forbidden, "Forbidden")
            }
        case .next(let id, let result):
            guard active.contains(id) else { return [] }
            return [.send(message(dialect.resultType, id: id, payload: result))]
        case .executed(let id, let result):
            guard active.remove(id) != nil else { return [] }
            return [.send(message(dialect.resultType, id: id, payload: result)), .send(message("complete", id: id))]
        case .refused(let id, let errors):
            guard active.remove(id) != nil else { return [] }
            let list = "[" + errors.map(\.json).joined(separator: ",") + "]"
            switch dialect {
            case .transport:
                return [.send(message("error", id: id, payload: list))]
            case .legacy:
                // As subscriptions-transport-ws sends them: a data message with only errors.
                return [.send(message("data", id: id, payload: #"{"errors":\#(list)}"#)), .send(message("complete", id: id))]
            }
        }
    }

    private mutating func received(_ message: ClientMessage) -> [Action] {
        switch message {
        case .connectionInit(let payload):
            guard case .opened = phase else {
                guard dialect == .transport else { return [] }
                return close(.tooManyInitRequests, "Too many initialisation requests")
            }
            phase = .authenticating
            return [.authenticate(Self.authorization(in: payload) ?? upgradeAuthorization)]
        case .ping(let payload):
            let echoed = payload.map { #","payload":\#($0.serialized)"# } ?? ""
            return [.send(#"{"type":"pong"\#(echoed)}"#)]
        case .pong:
            unansweredPings = 0
            return []
        case .subscribe(let id, let request):
            guard case .ready(let session) = phase else {
                switch dialect {
                case .transport:
                    return close(.unauthorized, "Unauthorized")
                case .legacy:
                    return [.send(self.message("error", id: id, payload: #"{"message":"connection_init must come first"}"#))]
                }
            }
            var actions: [Action] = []
            if active.contains(id) {
                // graphql-ws refuses a second subscriber under a live id; the legacy protocol
                // replaces the first.
                guard dialect == .legacy else { return close(.duplicateSubscriber, "Subscriber for \(id) already exists") }
                active.remove(id)
                actions.append(.cancel(id: id))
            }
            active.insert(id)
            return actions + [.execute(id: id, request, session)]
        case .complete(let id):
            guard active.remove(id) != nil else { return [] }
            return [.cancel(id: id)]
        case .terminate:
            return close(.normal, "Normal Closure")
        }
    }

    private mutating func heartbeat() -> [Action] {
        switch dialect {
        case .transport:
            if unansweredPings >= 2 { return close(.initTimeout, "Two pings went unanswered") }
            unansweredPings += 1
            return [.send(#"{"type":"ping"}"#)]
        case .legacy:
            guard case .ready = phase else { return [] }
            return [.send(#"{"type":"ka"}"#)]
        }
    }

    private mutating func close(_ code: SocketCloseCode, _ reason: String) -> [Action] {
        phase = .closed
        let cancels = active.sorted().map { Action.cancel(id: $0) }
        active.removeAll()
        return cancels + [.close(code, reason)]
    }

    private func message(_ type: String, id: String, payload: String? = nil) -> String {
        let body = payload.map { #","payload":\#($0)"# } ?? ""
        return #"{"id":\#(JSONText.quoted(id)),"type":"\#(type)"\#(body)}"#
    }

    /// The token a `connection_init` payload carries, where graphql-ws and Apollo clients put
    /// it: `Authorization` or `authorization`, at the top or under `headers`.
    static func authorization(in payload: JSONValue?) -> String? {
        guard case .object(let members)? = payload else { return nil }
        let fields = Dictionary(members, uniquingKeysWith: { $1 })
        for key in ["Authorization", "authorization"] {
            if case .string(let value)? = fields[key] { return value }
        }
        if case .object(let headers)? = fields["headers"] {
            for (key, value) in headers where key.lowercased() == "authorization" {
                if case .string(let text) = value { return text }
            }
        }
        return nil
    }
}
