import Database
import NIOCore
import NIOHTTP1

/// Serves the requests of one HTTP/1.1 connection, one at a time (NIO's pipelining handler
/// holds back the next until this one's response has ended): gathers the body up to the limit,
/// hands the request to the responder in a task that runs on this connection's event loop, and
/// writes the response from there. A client that hangs up cancels its request, and so does the
/// request timeout — watched by one timer per connection, not one per request: when it fires it
/// checks how long the request under way has run, and sets itself again for the rest.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// Reading the body of this request.
        case receiving(HTTPRequestHead)
        /// The request was handed over before its end (its body passed the limit): the rest is
        /// dropped, and the connection closes after the response.
        case discarding
        /// The responder has the request, which was read to its end.
        case responding
    }

    private let responder: any HTTPResponder
    private let executor: EventLoopExecutor
    private let bodyLimit: Int
    private let requestTimeout: Duration?
    private var state = State.idle
    private var body = ByteBuffer()
    /// The request being answered, cancelled if the connection closes first or its time runs out.
    private var inFlight: (cancellation: QueryCancellation, deadline: RequestDeadline, started: NIODeadline)?
    private var deadlineTimer: Scheduled<Void>?

    init(responder: any HTTPResponder, executor: EventLoopExecutor, bodyLimit: Int, requestTimeout: Duration?) {
        self.responder = responder
        self.executor = executor
        self.bodyLimit = bodyLimit
        self.requestTimeout = requestTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            body.clear()
            if let declared = head.headers.first(name: "Content-Length").flatMap(Int.init), declared > bodyLimit {
                state = .discarding
                dispatch(IncomingRequest(head: head, body: .tooLarge(limit: bodyLimit)), keepAlive: false, context: context)
                return
            }
            state = .receiving(head)
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard case .receiving(let head) = state else { return }
            if body.readableBytes + chunk.readableBytes > bodyLimit {
                state = .discarding
                body.clear()
                dispatch(IncomingRequest(head: head, body: .tooLarge(limit: bodyLimit)), keepAlive: false, context: context)
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            // A request past the body limit (`.discarding`) was answered already; the
            // connection closes once its response is out.
            guard case .receiving(let head) = state else { return }
            state = .responding
            let request = IncomingRequest(head: head, body: .complete(body))
            body = ByteBuffer()
            dispatch(request, keepAlive: head.isKeepAlive, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inFlight?.cancellation.cancel()
        inFlight = nil
        deadlineTimer?.cancel()
        deadlineTimer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlineTimer?.cancel()
        deadlineTimer = nil
    }

    private func dispatch(_ request: IncomingRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        let cancellation = QueryCancellation()
        let deadline = RequestDeadline(timeout: requestTimeout)
        let started = NIODeadline.now()
        inFlight = (cancellation, deadline, started)
        if let requestTimeout, deadlineTimer == nil { armDeadline(at: started + TimeAmount(requestTimeout), context) }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let responder = self.responder
        let requestContext = RequestContext(cancellation: cancellation, deadline: deadline, eventLoop: loop)
        Task(executorPreference: executor) {
            let response = await responder.respond(to: request, context: requestContext)
            // The task prefers the loop's executor, so this runs on the loop already.
            if loop.inEventLoop {
                let (handler, context) = bound.value
                handler.write(response, for: request.head, keepAlive: keepAlive, context: context)
            } else {
                loop.execute {
                    let (handler, context) = bound.value
                    handler.write(response, for: request.head, keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    private func armDeadline(at due: NIODeadline, _ context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadlineTimer = context.eventLoop.scheduleTask(deadline: due) {
            let (handler, context) = bound.value
            handler.deadlineTimerFired(context)
        }
    }

    /// Stops the request under way if it has run its time; else waits for the rest of it.
    private func deadlineTimerFired(_ context: ChannelHandlerContext) {
        deadlineTimer = nil
        guard let (cancellation, deadline, started) = inFlight, let requestTimeout else { return }
        let due = started + TimeAmount(requestTimeout)
        if due <= .now() {
            deadline.expire()
            cancellation.cancel()
        } else {
            armDeadline(at: due, context)
        }
    }

    private func write(_ response: OutgoingResponse, for request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        inFlight = nil
        if case .responding = state { state = .idle }
        guard context.channel.isActive else { return }
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        headers.add(name: "Date", value: HTTPDate.now())
        headers.add(name: "Server", value: "Strata")
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)
        if request.method != .HEAD, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Read and write failures (a reset connection): nothing is left to answer.
        context.close(promise: nil)
    }
}
