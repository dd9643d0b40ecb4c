import NIOCore
import NIOHTTP1

/// Limits what one HTTP connection may hold on to, before any request handling:
/// - a request the decoder cannot take is answered with the status its `RequestSyntaxError`
///   gives (`400`, `414`, `431`, `501`, `505`) and what was wrong, and the connection closed;
/// - once the first bytes of a request arrive, its head must be complete within `headTimeout`,
///   however slowly the bytes keep coming (slowloris);
/// - a connection with no request under way — just opened, or after a response — is closed
///   after `idleTimeout` of silence (longer than load balancers' idle timeouts, so they are the
///   ones to close first).
/// One instance per connection, on its event loop. Requests cost it a clock reading each, not
/// a timer: its one timer, when it fires, checks how long the current phase has lasted and sets
/// itself again for the rest.
/// What the connection handler tells `ConnectionGuard` on its way out.
enum ResponseEvent {
    /// A response has been written in full.
    case ended
}

final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = RequestPart
    typealias InboundOut = RequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

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
    private var phaseStarted = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var timerDeadline = NIODeadline.distantFuture
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
        stopTimer()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
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

    /// The connection handler says a response has been written in full.
    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard case ResponseEvent.ended? = event as? ResponseEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        open = max(open - 1, 0)
        if open == 0 { enter(.idle, context) }
        promise?.succeed()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let syntaxError = error as? RequestSyntaxError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        enter(.busy, context)
        // The message is the server's own words, never the client's bytes: no escaping needed.
        let body = #"{"errors":[{"message":"\#(syntaxError.message)","extensions":{"code":"\#(syntaxError.code)"}}]}"#
        let bytes = ResponseBytes.encode(.json(HTTPResponseStatus(statusCode: syntaxError.status), body), version: .http1_1,
                                         includeBody: true, keepAlive: false,
                                         allocator: context.channel.allocator)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func enter(_ next: Phase, _ context: ChannelHandlerContext) {
        phase = next
        phaseStarted = .now()
        if let limit = limit(of: next) { arm(at: phaseStarted + limit, context) }
    }

    private func limit(of phase: Phase) -> TimeAmount? {
        switch phase {
        case .idle: idleTimeout
        case .readingHead: headTimeout
        case .busy: nil
        }
    }

    /// Makes sure the timer fires by `deadline`; a later one is moved earlier, an earlier one
    /// is left (it will check and set itself again).
    private func arm(at deadline: NIODeadline, _ context: ChannelHandlerContext) {
        if timer != nil, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.timerFired(context)
        }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        guard let limit = limit(of: phase) else { return }
        let deadline = phaseStarted + limit
        if deadline <= .now() {
            context.close(promise: nil)
        } else {
            arm(at: deadline, context)
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
    }
}
