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

    /// As read: `fields` were found in it.
    public let head: HTTPRequestHead
    public var body: Body
    /// The header fields every request's handling reads, found in one pass over the head.
    public let fields: RequestFields

    public init(head: HTTPRequestHead, body: Body = .complete(ByteBuffer())) {
        self.init(head: head, fields: RequestFields(head.headers), body: body)
    }

    init(head: HTTPRequestHead, fields: RequestFields, body: Body) {
        self.head = head
        self.fields = fields
        self.body = body
    }

    /// The path, without the query.
    public var path: Substring {
        let uri = head.uri[...]
        // Searched as bytes: `?` is ASCII, so its index is a character boundary.
        return uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { uri[..<$0] } ?? uri
    }

    /// The URL's query (after `?`), if any.
    public var query: Substring? {
        let uri = head.uri[...]
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
