import GraphQLTypeSystem

/// A message from a GraphQL WebSocket client, in either dialect.
enum ClientMessage: Equatable {
    case connectionInit(payload: JSONValue?)
    case ping(payload: JSONValue?)
    case pong
    /// `subscribe` (transport) or `start` (legacy): run an operation under `id`.
    case subscribe(id: String, request: GraphQLRequest)
    /// `complete` (transport) or `stop` (legacy): the client no longer wants `id`'s results.
    case complete(id: String)
    /// `connection_terminate` (legacy): the client is leaving.
    case terminate

    /// Why a text frame is not a message of the dialect.
    struct Invalid: Error, Equatable {
        let reason: String
    }

    /// Reads one text message. Anything that is not a message of `dialect` — not JSON, no
    /// `type`, an unknown type, a missing or non-string `id`, a bad `payload` — is `Invalid`,
    /// with a reason fit for a close frame (they are limited to 123 bytes).
    static func read(_ bytes: [UInt8], dialect: SocketDialect) throws(Invalid) -> ClientMessage {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: bytes, maxDepth: 256)
        } catch {
            throw Invalid(reason: "Invalid message received: not JSON")
        }
        guard case .object(let members) = json else { throw Invalid(reason: "Invalid message received: not an object") }
        let fields = Dictionary(members, uniquingKeysWith: { $1 })
        guard case .string(let type)? = fields["type"] else { throw Invalid(reason: "Invalid message received: no \"type\"") }
        let payload = fields["payload"]
        switch (type, dialect) {
        case ("connection_init", _):
            guard payload == nil || payload == .null || isObject(payload) else {
                throw Invalid(reason: "Invalid message received: connection_init payload must be an object")
            }
            return .connectionInit(payload: payload == .null ? nil : payload)
        case ("ping", .transport):
            return .ping(payload: payload)
        case ("pong", .transport):
            return .pong
        case ("subscribe", .transport), ("start", .legacy):
            let id = try identifier(fields)
            guard case .object? = payload else { throw Invalid(reason: "Invalid message received: \(type) needs a payload object") }
            do {
                return .subscribe(id: id, request: try GraphQLRequest.parse(json: payload!))
            } catch {
                throw Invalid(reason: "Invalid message received: \(error.message)")
            }
        case ("complete", .transport), ("stop", .legacy):
            return .complete(id: try identifier(fields))
        case ("connection_terminate", .legacy):
            return .terminate
        default:
            throw Invalid(reason: "Invalid message received: unknown type")
        }
    }

    private static func identifier(_ fields: [String: JSONValue]) throws(Invalid) -> String {
        guard case .string(let id)? = fields["id"], !id.isEmpty else {
            throw Invalid(reason: "Invalid message received: no \"id\" string")
        }
        return id
    }

    private static func isObject(_ value: JSONValue?) -> Bool {
        if case .object? = value { return true }
        return false
    }
}
