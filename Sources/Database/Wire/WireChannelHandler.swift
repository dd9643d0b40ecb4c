import NIOCore
import NIOSSL

/// Drives a `WireStateMachine` on its connection's event loop: frames what PostgreSQL sends into
/// messages, writes what the machine asks for, and hands each statement's outcome to the task
/// that waits for it. Everything here runs on that loop.
final class WireChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: WireStateMachine
    private var context: ChannelHandlerContext?
    private var reader = BackendMessageReader()
    private var startup: EventLoopPromise<WireConnection.BackendKey>?
    private var pending: Pending?
    private var failure: (any Error)?
    private let tls: (context: NIOSSLContext, serverHostname: String?)?
    private let counts: WireConnection.Counts

    init(machine: WireStateMachine, tls: (context: NIOSSLContext, serverHostname: String?)?, counts: WireConnection.Counts,
         startup: EventLoopPromise<WireConnection.BackendKey>) {
        self.machine = machine
        self.tls = tls
        self.counts = counts
        self.startup = startup
    }

    /// Who waits for the running request: a statement's caller, or a pipeline's.
    enum Pending {
        case one(UnsafeContinuation<ByteBuffer?, any Error>)
        case pipeline(UnsafeContinuation<[ByteBuffer?], any Error>)

        func fail(_ error: any Error) {
            switch self {
            case .one(let continuation): continuation.resume(throwing: error)
            case .pipeline(let continuation): continuation.resume(throwing: error)
            }
        }
    }

    /// Sends `request`; `waiting` gets its value(s), its error, or the connection's failure.
    func run(_ request: WireStateMachine.Request, _ waiting: Pending) {
        guard pending == nil else {
            waiting.fail(WireConnectionFailure("a statement was sent to a connection still busy with another"))
            return
        }
        pending = waiting
        perform(context == nil ? .complete(.failure(WireConnectionFailure.closed(by: nil))) : machine.run(request))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(machine.start())
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if machine.awaitsTLSAnswer {
            guard let answer = incoming.readInteger(as: UInt8.self) else { return }
            // Bytes after the answer would be read as if they came over TLS: refuse them.
            guard incoming.readableBytes == 0 else {
                perform(.close(WireProtocolError("bytes after its answer to the TLS request")))
                return
            }
            perform(machine.tlsAnswer(answer))
            return
        }
        reader.append(&incoming)
        do {
            while self.context != nil, let message = try reader.next() {
                perform(machine.received(message))
                if case .parseComplete = message { counts.preparedStatements.store(machine.prepared.count, ordering: .relaxed) }
            }
        } catch {
            perform(.close(error))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.closed(because: failure))
        self.context = nil
        context.fireChannelInactive()
    }

    private func perform(_ action: WireStateMachine.Action) {
        switch action {
        case .none:
            break
        case .send(let message):
            guard let context else { return }
            var buffer = context.channel.allocator.buffer(capacity: 256)
            message.write(into: &buffer)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        case .startTLS:
            guard let context, let tls else { return }
            do {
                let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname)
                try context.pipeline.syncOperations.addHandler(handler, position: .first)
                perform(machine.tlsStarted())
            } catch {
                perform(.close(error))
            }
        case .connected(let processID, let secretKey):
            startup?.succeed(WireConnection.BackendKey(processID: processID, secretKey: secretKey))
            startup = nil
        case .failStartup(let error):
            startup?.fail(error)
            startup = nil
            context?.close(promise: nil)
        case .complete(let result):
            let waiting = pending
            pending = nil
            switch (waiting, result) {
            case (.one(let continuation), _): continuation.resume(with: result)
            case (.pipeline(let continuation), .failure(let error)): continuation.resume(throwing: error)
            case (.pipeline(let continuation), .success):
                continuation.resume(throwing: WireProtocolError("one answer where a pipeline's were due"))
            case (nil, _): break
            }
        case .completePipeline(let answers):
            let waiting = pending
            pending = nil
            switch waiting {
            case .pipeline(let continuation): continuation.resume(returning: answers)
            case .one(let continuation): continuation.resume(throwing: WireProtocolError("a pipeline's answers where one was due"))
            case nil: break
            }
        case .close(let error):
            if failure == nil { failure = error }
            startup?.fail(error)
            startup = nil
            let waiting = pending
            pending = nil
            waiting?.fail(error)
            context?.close(promise: nil)
        }
    }
}
