import Database
import NIOCore
import NIOHTTP1
import Synchronization

/// A request as the connection read it: its head, and its body unless that passed the limit.
public struct IncomingRequest: Sendable {
    public enum Body: Sendable {
        case complete(ByteBuffer)
        /// The body passed the server's limit; what came of it was not kept.
        case tooLarge(limit: Int)
    }

    public let method: HTTPMethod
    /// The request target as sent: the path and the query.
    public let uri: String
    public let version: HTTPVersion
    /// The header fields every request's handling reads, found as the head was read.
    public let fields: RequestFields
    public var body: Body
    /// The head's bytes as read, which `headers` reads again.
    private let headBytes: ByteBuffer

    init(head: RequestHead, body: Body) {
        method = head.method
        uri = head.uri
        version = head.version
        fields = head.fields
        headBytes = head.bytes
        self.body = body
    }

    /// Every header field as sent, in order, read again from the head's bytes when asked: a
    /// request's handling reads `fields`, and only a WebSocket handshake asks for more, so the
    /// others are not made into strings for every request.
    public var headers: HTTPHeaders {
        let fields = headBytes.withUnsafeReadableBytes { bytes in
            // The head was read once already: it cannot fail now.
            (try? ParsedRequestHead.parse(bytes, keepingFields: true))?.fields ?? []
        }
        return HTTPHeaders(fields)
    }

    /// The path, without the query.
    public var path: Substring {
        let uri = uri[...]
        // Searched as bytes: `?` is ASCII, so its index is a character boundary.
        return uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { uri[..<$0] } ?? uri
    }

    /// The URL's query (after `?`), if any.
    public var query: Substring? {
        let uri = uri[...]
        return uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { uri[uri.utf8.index(after: $0)...] }
    }
}

/// What the server sends back.
public struct OutgoingResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// Set on a `101 Switching Protocols`: what serves the connection from then on.
    public var upgrade: SocketUpgrade?

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body with its content type.
    public static func json(_ status: HTTPResponseStatus, _ body: ByteBuffer, contentType: String = "application/json") -> OutgoingResponse {
        OutgoingResponse(status: status, headers: ["Content-Type": contentType], body: body)
    }

    public static func json(_ status: HTTPResponseStatus, _ text: String, contentType: String = "application/json") -> OutgoingResponse {
        json(status, ByteBuffer(string: text), contentType: contentType)
    }
}

/// What a responder learns about the request's circumstances.
public struct RequestContext: Sendable {
    /// Cancelled when the client hangs up before its response is written, or when the
    /// request's deadline passes.
    public let cancellation: QueryCancellation
    /// The request's time limit, and whether it ran past it.
    public let deadline: RequestDeadline
    /// The loop that owns the request's connection; the request's task runs on it.
    public let eventLoop: any EventLoop
    /// The client's IP address, as the connection's peer (nil for a Unix socket).
    public var clientAddress: String? = nil
}

/// How long a request may run (`server.request_timeout_ms`), counted from when it has been
/// read; the connection cancels it when that time has passed.
public final class RequestDeadline: Sendable {
    public let timeout: Duration?
    private let passed = Atomic(false)

    public init(timeout: Duration?) {
        self.timeout = timeout
    }

    func expire() { passed.store(true, ordering: .relaxed) }

    /// Whether the request was stopped because it ran past its deadline.
    public var hasPassed: Bool { passed.load(ordering: .relaxed) }
}

/// Answers requests. `respond` runs on the event loop of the request's connection (as a task
/// preferring that loop), so it must never block.
public protocol HTTPResponder: Sendable {
    func respond(to request: IncomingRequest, context: RequestContext) async -> OutgoingResponse
}
