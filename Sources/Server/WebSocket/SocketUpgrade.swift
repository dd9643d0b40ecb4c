import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// A WebSocket upgrade the responder accepted: after the `101` the connection handler hands the
/// connection to the GraphQL socket service, speaking `dialect` (nil: none the client offered).
public struct SocketUpgrade: Sendable {
    let service: SocketService
    let dialect: SocketDialect?
    /// The upgrade request's `Authorization`, for a `connection_init` that carries none.
    let authorization: String?
    /// The upgrade request's W3C trace context: the connection's operations are part of it.
    var trace: TraceContext? = nil
}

/// RFC 6455's opening handshake, for `GET /graphql`.
enum SocketHandshake {
    /// Whether the request asks for a WebSocket (`Upgrade: websocket`).
    static func isRequested(_ request: IncomingRequest) -> Bool {
        // Most requests have no Upgrade field: its values are split only if it is there.
        request.fields.upgrade != nil && request.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// The `101 Switching Protocols` answer, or the status that refuses the handshake: 400 for a
    /// malformed one, 426 with the version Strata speaks for another version. The subprotocol is
    /// chosen from the client's offer; offering none Strata speaks still upgrades, and the
    /// connection is then closed with 4406, as graphql-ws servers do.
    static func answer(_ request: IncomingRequest, service: SocketService) -> OutgoingResponse {
        let headers = request.headers
        guard request.method == .GET,
              headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "upgrade" }),
              let key = headers.first(name: "sec-websocket-key"),
              let decoded = Data(base64Encoded: key), decoded.count == 16 else {
            return refusal(.badRequest, "A WebSocket upgrade needs GET, Connection: Upgrade and a Sec-WebSocket-Key.")
        }
        guard headers.first(name: "sec-websocket-version") == "13" else {
            var response = refusal(.upgradeRequired, "Strata speaks WebSocket version 13.")
            response.headers.replaceOrAdd(name: "Sec-WebSocket-Version", value: "13")
            return response
        }
        var response = OutgoingResponse(status: .switchingProtocols, headers: [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": acceptValue(for: key),
        ])
        let dialect = SocketDialect.choose(from: headers[canonicalForm: "sec-websocket-protocol"].joined(separator: ","))
        if let dialect { response.headers.add(name: "Sec-WebSocket-Protocol", value: dialect.rawValue) }
        response.upgrade = SocketUpgrade(service: service, dialect: dialect, authorization: request.fields.authorization,
                                         trace: TraceContext(traceparent: request.fields.traceparent))
        return response
    }

    /// `Sec-WebSocket-Accept`: the key and RFC 6455's GUID, hashed with SHA-1, in base64.
    static func acceptValue(for key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }

    private static func refusal(_ status: HTTPResponseStatus, _ message: String) -> OutgoingResponse {
        .json(status, #"{"errors":[{"message":"\#(message)","extensions":{"code":"bad-request"}}]}"#)
    }
}
