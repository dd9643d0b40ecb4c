import Database
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Serves the requests of one HTTP/1.1 connection in order: gathers each body up to the limit,
/// hands each request to the responder in a task that runs on this connection's event loop, and
/// writes each response as one buffer from there. Requests pipelined behind the one being
/// answered wait their turn, and no more bytes are read until it is answered. A client that
/// hangs up cancels its request, and so does the request timeout — watched by one timer per
/// connection, not one per request: when it fires it checks how long the request under way has
/// run, and sets itself again for the rest.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = RequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Reading {
        case idle
        /// Reading the body of this request; `continueOwed` while its `100 Continue` waits for
        /// the responses before it.
        case receiving(RequestHead, continueOwed: Bool)
        /// The request's body passed the limit: the rest is dropped, and the connection closes
        /// after its response.
        case discarding
    }

    /// A request read to its end (or cut off at the limit), waiting for its turn.
    private struct Ready {
        var request: IncomingRequest
        var keepAlive: Bool
    }

    private let responder: any HTTPResponder
    private let executor: EventLoopExecutor
    private let bodyLimit: Int
    private let requestTimeout: Duration?
    private var reading = Reading.idle
    private var body = ByteBuffer()
    private var waiting = CircularBuffer<Ready>()
    /// A request's task is under way.
    private var responding = false
    /// The peer's IP address, read once per connection ("" when it has none).
    private var clientAddress: String?
    /// A read was asked for while a request waited; it is made once none does.
    private var readHeld = false
    /// No request after the last one accepted is answered: it asked to close, or the server is
    /// shutting down.
    private var closing = false
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
            body = ByteBuffer()
            // The decoder took only digits: a length that is no `Int` is past any limit.
            if let declared = head.fields.contentLength.map({ Int($0) ?? .max }), declared > bodyLimit {
                reading = .discarding
                accept(Ready(request: IncomingRequest(head: head, body: .tooLarge(limit: bodyLimit)), keepAlive: false), context)
                return
            }
            let expectsContinue = head.fields.expect?.lowercased() == "100-continue"
            reading = .receiving(head, continueOwed: expectsContinue)
            if expectsContinue { sendOwedContinue(context) }
        case .body(var chunk):
            guard case .receiving(let head, _) = reading else { return }
            if body.readableBytes + chunk.readableBytes > bodyLimit {
                reading = .discarding
                body = ByteBuffer()
                accept(Ready(request: IncomingRequest(head: head, body: .tooLarge(limit: bodyLimit)), keepAlive: false), context)
            } else if body.readableBytes == 0 {
                // Most bodies come in one piece: kept as read, not copied.
                body = chunk
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            // A request past the body limit (`.discarding`) was accepted already; the
            // connection closes once its response is out.
            guard case .receiving(let head, _) = reading else { return }
            reading = .idle
            let request = IncomingRequest(head: head, body: .complete(body))
            body = ByteBuffer()
            accept(Ready(request: request, keepAlive: head.keepAlive), context)
        }
    }

    /// Holds reads while a pipelined request waits for its turn: the ones after it wait in the
    /// socket, not here. The request under way alone does not hold them — turning the socket's
    /// read interest off and on again costs two system calls per request.
    func read(context: ChannelHandlerContext) {
        if !waiting.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Shutting down: the request under way is answered (with `Connection: close`), then
        // the connection closes; an idle one closes now.
        closing = true
        waiting.removeAll()
        if !responding { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inFlight?.cancellation.cancel()
        inFlight = nil
        waiting.removeAll()
        deadlineTimer?.cancel()
        deadlineTimer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlineTimer?.cancel()
        deadlineTimer = nil
    }

    /// A request is read: answered now, or after the ones before it.
    private func accept(_ ready: Ready, _ context: ChannelHandlerContext) {
        guard !closing else { return }
        if !ready.keepAlive { closing = true }
        if responding {
            waiting.append(ready)
        } else {
            dispatch(ready, context: context)
        }
    }

    /// The interim `100 Continue`, once no earlier response is still to be written.
    private func sendOwedContinue(_ context: ChannelHandlerContext) {
        guard case .receiving(let head, continueOwed: true) = reading, !responding, waiting.isEmpty else { return }
        reading = .receiving(head, continueOwed: false)
        context.writeAndFlush(wrapOutboundOut(ResponseBytes.continueInterim(allocator: context.channel.allocator)), promise: nil)
    }

    private func dispatch(_ ready: Ready, context: ChannelHandlerContext) {
        responding = true
        let request = ready.request
        let cancellation = QueryCancellation()
        let deadline = RequestDeadline(timeout: requestTimeout)
        let started = NIODeadline.now()
        inFlight = (cancellation, deadline, started)
        if let requestTimeout, deadlineTimer == nil { armDeadline(at: started + TimeAmount(requestTimeout), context) }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let responder = self.responder
        if clientAddress == nil { clientAddress = context.channel.remoteAddress?.ipAddress ?? "" }
        let requestContext = RequestContext(cancellation: cancellation, deadline: deadline, eventLoop: loop,
                                            clientAddress: clientAddress.flatMap { $0.isEmpty ? nil : $0 })
        Task(executorPreference: executor) {
            let response = await responder.respond(to: request, context: requestContext)
            // The task prefers the loop's executor, so this runs on the loop already.
            if loop.inEventLoop {
                let (handler, context) = bound.value
                handler.answer(request, with: response, keepAlive: ready.keepAlive, context: context)
            } else {
                loop.execute {
                    let (handler, context) = bound.value
                    handler.answer(request, with: response, keepAlive: ready.keepAlive, context: context)
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

    /// Writes the response, then lets the next request in: one waiting, else more bytes.
    private func answer(_ request: IncomingRequest, with response: OutgoingResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        inFlight = nil
        responding = false
        guard context.channel.isActive else { return }
        let upgrades = response.upgrade != nil && response.status == .switchingProtocols
        // What follows a request to upgrade is not read as HTTP (`RequestDecoder`): unless the
        // upgrade happens, the connection ends with the response.
        let keepAlive = keepAlive && !(closing && waiting.isEmpty) && (request.fields.upgrade == nil || upgrades)
        let bytes = ResponseBytes.encode(response, version: request.version, includeBody: request.method != .HEAD,
                                         keepAlive: keepAlive, allocator: context.channel.allocator)
        context.triggerUserOutboundEvent(ResponseEvent.ended, promise: nil)
        if upgrades, let upgrade = response.upgrade {
            context.write(wrapOutboundOut(bytes), promise: nil)
            hand(to: upgrade, context)
            return
        }
        guard keepAlive else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        if let next = waiting.popFirst() {
            dispatch(next, context: context)
            return
        }
        sendOwedContinue(context)
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    /// After a `101`: the connection speaks WebSocket from here on. The HTTP handlers leave the
    /// pipeline — this one and the guard first, then the decoder, which passes on the bytes it
    /// read past the request (the client's first frames) to the WebSocket decoder.
    private func hand(to upgrade: SocketUpgrade, _ context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        let channel = context.channel
        let socket = SocketConnectionHandler(service: upgrade.service, dialect: upgrade.dialect,
                                             authorization: upgrade.authorization, trace: upgrade.trace, executor: executor)
        do {
            try pipeline.addHandlers([
                ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: upgrade.service.settings.maxMessageBytes)),
                WebSocketFrameEncoder(), socket,
            ])
            waiting.removeAll()
            pipeline.removeHandler(context: context, promise: nil)
            pipeline.removeHandler(name: HTTPServer.guardName, promise: nil)
            pipeline.removeHandler(name: HTTPServer.decoderName, promise: nil)
            channel.flush()
            channel.read()
        } catch {
            channel.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Read and write failures (a reset connection): nothing is left to answer.
        context.close(promise: nil)
    }
}
