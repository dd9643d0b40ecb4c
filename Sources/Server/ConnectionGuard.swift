import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Limits what one HTTP connection may hold on to, before any request handling:
/// - a request head larger than the decoder's limits is answered `431 Request Header Fields Too
///   Large` and the connection closed (the HTTP layer would answer a bare 400);
/// - once the first bytes of a request arrive, its head must be complete within `headTimeout`,
///   however slowly the bytes keep coming (slowloris);
/// - a connection with no request under way — just opened, or after a response — is closed
///   after `idleTimeout` of silence (longer than load balancers' idle timeouts, so they are the
///   ones to close first).
/// One instance per connection, on its event loop.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase {
        /// No request under way: waiting for one.
        case idle
        /// Bytes of a request head have arrived, not yet the whole head.
        case readingHead
        /// A request is being handled; its own limits apply.
        case busy
    }

    let headTimeout: TimeAmount
    let idleTimeout: TimeAmount
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?
    private var answered = false
    /// Request heads read whose response has not ended (pipelined requests).
    private var open = 0

    init(headTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { enter(.idle, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        enter(.idle, context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            open += 1
            enter(.busy, context)
        }
        context.fireChannelRead(data)
    }

    /// Bytes arrived; if no head came of them while idle, a head has begun and its clock starts
    /// (only once: more bytes do not restart it).
    func channelReadComplete(context: ChannelHandlerContext) {
        if case .idle = phase { enter(.readingHead, context) }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            open = max(open - 1, 0)
            if open == 0 { enter(.idle, context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard case HTTPParserError.headerOverflow? = error as? HTTPParserError, !answered else {
            context.fireErrorCaught(error)
            return
        }
        answered = true
        enter(.busy, context)
        let body = #"{"errors":[{"message":"The request's header fields are too large.","extensions":{"code":"headers-too-large"}}]}"#
        var head = HTTPResponse(status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"))
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.utf8.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private func enter(_ next: Phase, _ context: ChannelHandlerContext) {
        phase = next
        timer?.cancel()
        timer = nil
        let limit: TimeAmount
        switch next {
        case .idle: limit = idleTimeout
        case .readingHead: limit = headTimeout
        case .busy: return
        }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }
}
