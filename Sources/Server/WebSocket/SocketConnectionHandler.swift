import Database
import GraphQLLanguage
import NIOCore
import NIOWebSocket
import Planner

/// Serves one upgraded GraphQL WebSocket connection on its event loop: reassembles messages
/// from frames, answers WebSocket pings, feeds the protocol's `SocketMachine`, and carries out
/// what it asks — messages, the close, token checks, operations. Operations run one at a time
/// in the order they were asked for, each as a task on this loop, as HTTP requests do.
final class SocketConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private struct Queued {
        let id: String
        let request: GraphQLRequest
        let session: Session
        let large: Bool
    }

    private let service: SocketService
    private let executor: EventLoopExecutor
    /// Nil when the client offered no subprotocol Strata speaks: the connection closes with 4406.
    private var machine: SocketMachine?
    /// The frames of the message being received.
    private var message = ByteBuffer()
    private var messageOpcode: WebSocketOpcode?
    private var queue = CircularBuffer<Queued>()
    private var running: (id: String, cancellation: QueryCancellation)?
    /// Subscriptions under way: their memberships of the hub's cohorts.
    private var live: [String: Int] = [:]
    private var timers: [Scheduled<Void>] = []
    private var heartbeat: RepeatedTask?
    private var closeSent = false
    /// The size of the message being handed to the machine, for the operation it may start.
    private var messageBytes = 0
    /// The tenant this connection counts against, once its session is known.
    private var countedTenant: String?
    /// The role this connection is counted under in metrics, once its session is known.
    private var countedRole: String?
    /// The upgrade request's trace, which every operation of the connection is part of.
    private let trace: TraceContext?
    /// The tenant whose message rate its pushed results count against ("" for none).
    private var rateTenant = ""
    /// Pushed results held back by the tenant's message rate, in order: a live query's latest
    /// result (in `heldResults`, replaced by a newer one), or a stream's message (kept).
    private var held = CircularBuffer<Held>()
    private var heldResults: [String: String] = [:]
    private var releaseTimer: Scheduled<Void>?

    private enum Held {
        case live(id: String)
        case ordered(id: String, result: String)
    }

    init(service: SocketService, dialect: SocketDialect?, authorization: String?, trace: TraceContext? = nil, executor: EventLoopExecutor) {
        self.service = service
        self.trace = trace
        self.executor = executor
        self.machine = dialect.map { SocketMachine(dialect: $0, upgradeAuthorization: authorization) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard machine != nil else {
            close(.subprotocolNotAcceptable, "Subprotocol not acceptable", context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timers.append(context.eventLoop.scheduleTask(in: TimeAmount(service.settings.initTimeout)) {
            let (handler, context) = bound.value
            handler.feed(.initTimeout, context)
        })
        let interval = TimeAmount(service.settings.pingInterval)
        let heartbeat = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = bound.value
            handler.feed(.heartbeat, context)
        }
        self.heartbeat = heartbeat
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !closeSent else { return }
        // RFC 6455 §5.1: a client masks every frame.
        guard frame.maskKey != nil else { return close(.protocolError, "Unmasked frame", context) }
        switch frame.opcode {
        case .text, .binary:
            guard messageOpcode == nil else { return close(.protocolError, "A new message began inside another", context) }
            messageOpcode = frame.opcode
            message.clear()
            append(frame, context)
        case .continuation:
            guard messageOpcode != nil else { return close(.protocolError, "A continuation without a message", context) }
            append(frame, context)
        case .ping:
            guard frame.fin else { return close(.protocolError, "A fragmented ping", context) }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            // The client is leaving: answer its close, as the protocol asks, and end.
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self) ?? 1000
            closeSent = true
            stopAll()
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))).whenComplete { _ in
                channel.close(promise: nil)
            }
        default:
            close(.protocolError, "Unknown opcode", context)
        }
    }

    private func append(_ frame: WebSocketFrame, _ context: ChannelHandlerContext) {
        var data = frame.unmaskedData
        guard message.readableBytes + data.readableBytes <= service.settings.maxMessageBytes else {
            return close(.messageTooBig, "Message larger than \(service.settings.maxMessageBytes) bytes", context)
        }
        message.writeBuffer(&data)
        guard frame.fin, let opcode = messageOpcode else { return }
        messageOpcode = nil
        let bytes = message.readBytes(length: message.readableBytes) ?? []
        message.clear()
        messageBytes = bytes.count
        defer { messageBytes = 0 }
        feed(opcode == .text ? .text(bytes) : .binary, context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway, "The server is shutting down", context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeSent = true
        stopAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed frame (NIO's decoder) or a broken socket.
        if error is NIOWebSocketError {
            close(.protocolError, "Malformed frame", context)
        } else {
            context.close(promise: nil)
        }
    }

    /// Hands an input to the protocol and carries out its actions.
    private func feed(_ input: SocketMachine.Input, _ context: ChannelHandlerContext) {
        guard var machine, !closeSent else { return }
        let actions = machine.receive(input)
        self.machine = machine
        for action in actions { perform(action, context) }
    }

    private func perform(_ action: SocketMachine.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .send(let text):
            service.counters.sent.add(1, ordering: .relaxed)
            var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
            buffer.writeString(text)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
        case .close(let code, let reason):
            close(code, reason, context)
        case .authenticate(let authorization):
            let service = self.service
            onLoop(context) {
                await service.authenticate(authorization)
            } then: { handler, context, result in
                switch result {
                case .success(let (session, ends)):
                    if let tenant = session.tenantID, !handler.closeSent {
                        guard handler.service.tenants.admit(tenant) else {
                            handler.service.counters.refused.add(1, ordering: .relaxed)
                            return handler.close(.tryAgainLater, "Too many connections for this tenant; try again later", context)
                        }
                        handler.countedTenant = tenant
                    }
                    if handler.countedRole == nil, !handler.closeSent {
                        handler.service.counters.opened(role: session.role)
                        handler.countedRole = session.role
                    }
                    handler.rateTenant = session.tenantID ?? ""
                    handler.feed(.authenticated(session), context)
                    if let ends { handler.expire(at: ends, context) }
                case .failure(let problem):
                    handler.feed(.authenticationFailed(problem.message), context)
                }
            }
        case .execute(let id, let request, let session):
            queue.append(Queued(id: id, request: request, session: session, large: messageBytes > GraphQLEndpoint.loopBodyLimit))
            runNext(context)
        case .cancel(let id):
            if let membership = live.removeValue(forKey: id) {
                service.hub?.leave(membership)
                heldResults.removeValue(forKey: id)
            } else if let running, running.id == id {
                running.cancellation.cancel()
            } else {
                queue.removeAll { $0.id == id }
            }
        }
    }

    /// Starts the next queued operation once none runs.
    private func runNext(_ context: ChannelHandlerContext) {
        guard running == nil, let next = queue.popFirst() else { return }
        let cancellation = QueryCancellation()
        running = (next.id, cancellation)
        let service = self.service
        let address = context.channel.remoteAddress?.ipAddress
        let trace = self.trace
        onLoop(context) {
            await service.run(id: next.id, next.request, session: next.session, address: address, trace: trace, large: next.large,
                              cancellation: cancellation)
        } then: { handler, context, outcome in
            handler.running = nil
            switch outcome {
            case .answered(let input):
                handler.feed(input, context)
            case .live(let first, let prepared, let seen):
                handler.feed(.next(id: next.id, result: first), context)
                handler.goLive(next.id, first: first, prepared: prepared, seen: seen, request: next.request, context)
            case .stream(let prepared, let plan):
                handler.startStream(next.id, prepared: prepared, plan: plan, request: next.request, context)
            }
            handler.runNext(context)
        }
    }

    /// Keeps subscription `id` up to date in its cohort: the hub wakes the cohort when a table it
    /// reads changes in its tenant; a new result is fed to the machine on this loop.
    private func goLive(_ id: String, first: String, prepared: GraphQLExecutor.Prepared, seen: Int, request: GraphQLRequest,
                        _ context: ChannelHandlerContext) {
        guard let hub = service.hub, machine?.active.contains(id) == true else { return }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let subscriber = self.subscriber(id, request: request, session: prepared.session, context)
        let membership = hub.join(prepared, first: first, seen: seen, service: service, executor: executor, subscriber: subscriber) { result in
            loop.execute {
                let (handler, context) = bound.value
                handler.push(id, result, coalescing: true, context)
            }
        }
        guard let membership else {
            return feed(.internalFailure("subscription \(id) could not be kept up to date"), context)
        }
        live[id] = membership
    }

    /// Streams subscription `id`'s batches in order; the hub wakes it when a table it reads changes.
    /// How the hub reaches subscription `id` after a reload: with the errors that end it.
    private func subscriber(_ id: String, request: GraphQLRequest, session: Session, _ context: ChannelHandlerContext) -> SubscriptionHub.Subscriber {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        return SubscriptionHub.Subscriber(request: request, session: session) { errors in
            loop.execute {
                let (handler, context) = bound.value
                guard handler.live.removeValue(forKey: id) != nil else { return }
                handler.heldResults.removeValue(forKey: id)
                handler.feed(.refused(id: id, errors: errors), context)
            }
        }
    }

    private func startStream(_ id: String, prepared: GraphQLExecutor.Prepared, plan: StreamPlan, request: GraphQLRequest,
                             _ context: ChannelHandlerContext) {
        guard let hub = service.hub, machine?.active.contains(id) == true else { return }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let stream = LiveStream(prepared, plan: plan, executor: executor, service: service, deliver: { result in
            loop.execute {
                let (handler, context) = bound.value
                handler.push(id, result, coalescing: false, context)
            }
        }, fail: { reason in
            loop.execute {
                let (handler, context) = bound.value
                handler.feed(.internalFailure(reason), context)
            }
        })
        live[id] = hub.join(stream, subscriber: subscriber(id, request: request, session: prepared.session, context))
    }

    /// Sends a subscription's new result if the tenant's message rate allows, else holds it back
    /// until it does: a live query's held result is replaced by a newer one (`coalescing`), a
    /// stream's messages wait in order.
    private func push(_ id: String, _ result: String, coalescing: Bool, _ context: ChannelHandlerContext) {
        guard live[id] != nil else { return }
        if coalescing, heldResults[id] != nil {
            heldResults[id] = result
            return
        }
        if held.isEmpty, service.messageRates.take(rateTenant) == nil {
            return feed(.next(id: id, result: result), context)
        }
        if coalescing {
            heldResults[id] = result
            held.append(.live(id: id))
        } else {
            held.append(.ordered(id: id, result: result))
        }
        releaseHeld(context)
    }

    /// Sends held results while the tenant's rate allows; then waits for the next free place.
    private func releaseHeld(_ context: ChannelHandlerContext) {
        guard releaseTimer == nil else { return }
        while let next = held.first {
            if let wait = service.messageRates.take(rateTenant) {
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                releaseTimer = context.eventLoop.scheduleTask(in: TimeAmount(wait)) {
                    let (handler, context) = bound.value
                    handler.releaseTimer = nil
                    handler.releaseHeld(context)
                }
                return
            }
            held.removeFirst()
            switch next {
            case .live(let id):
                if let result = heldResults.removeValue(forKey: id), live[id] != nil { feed(.next(id: id, result: result), context) }
            case .ordered(let id, let result):
                if live[id] != nil { feed(.next(id: id, result: result), context) }
            }
        }
    }

    /// Runs `work` as a task on this connection's loop, then `then` with its result, there too.
    private func onLoop<T: Sendable>(_ context: ChannelHandlerContext, _ work: @escaping @Sendable () async -> T,
                                     then: @escaping (SocketConnectionHandler, ChannelHandlerContext, T) -> Void) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context, then), eventLoop: loop)
        Task(executorPreference: executor) {
            let value = await work()
            let finish: @Sendable () -> Void = {
                let (handler, context, then) = bound.value
                then(handler, context, value)
            }
            // The task prefers the loop's executor, so this runs on the loop already.
            if loop.inEventLoop { finish() } else { loop.execute(finish) }
        }
    }

    private func expire(at instant: ContinuousClock.Instant, _ context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let delay = max(.zero, instant - .now)
        timers.append(context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
            let (handler, context) = bound.value
            handler.feed(.tokenExpired, context)
        })
    }

    /// Sends a close frame with `code` and `reason` (cut to the 123 bytes a frame allows), then
    /// closes the connection; everything running is cancelled.
    private func close(_ code: SocketCloseCode, _ reason: String, _ context: ChannelHandlerContext) {
        guard !closeSent else { return }
        closeSent = true
        stopAll()
        var buffer = context.channel.allocator.buffer(capacity: 125)
        buffer.writeInteger(code.rawValue)
        var cut = reason
        while cut.utf8.count > 123 { cut.removeLast() }
        buffer.writeString(cut)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func stopAll() {
        if let tenant = countedTenant {
            service.tenants.release(tenant)
            countedTenant = nil
        }
        if let role = countedRole {
            service.counters.closed(role: role)
            countedRole = nil
        }
        for membership in live.values { service.hub?.leave(membership) }
        live.removeAll()
        held.removeAll()
        heldResults.removeAll()
        releaseTimer?.cancel()
        releaseTimer = nil
        running?.cancellation.cancel()
        running = nil
        queue.removeAll()
        for timer in timers { timer.cancel() }
        timers.removeAll()
        heartbeat?.cancel()
        heartbeat = nil
    }
}
