import Database
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Strata's HTTP/1.1 server on NIO: one pipeline per connection (the request decoder, the
/// connection guard, the connection handler, which writes whole responses), each connection owned by
/// one event loop that also runs its requests' tasks. Runs as a `Service`: on graceful shutdown
/// it stops accepting, lets every connection finish the request under way and closes it; when
/// cancelled (the drain timeout passed) it closes every connection, cancelling what runs.
public final class HTTPServer: Service, Sendable {
    /// The names of the HTTP-only handlers, which a WebSocket upgrade removes.
    static let decoderName = "http-decoder"
    static let guardName = "connection-guard"

    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let bodyLimit: Int
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    let onRunning: @Sendable (String) async -> Void

    public init(configuration: ServerConfiguration, responder: any HTTPResponder, bodyLimit: Int,
                group: MultiThreadedEventLoopGroup = .singleton, logger: Logger,
                onRunning: @escaping @Sendable (String) async -> Void = { _ in }) {
        self.configuration = configuration
        self.responder = responder
        self.bodyLimit = bodyLimit
        self.group = group
        self.logger = logger
        self.onRunning = onRunning
    }

    public func run() async throws {
        let children = OpenConnections()
        let configuration = self.configuration
        let responder = self.responder
        let bodyLimit = self.bodyLimit
        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let executor = EventLoopExecutor.of(channel.eventLoop)
                    let pipeline = channel.pipeline.syncOperations
                    // Requests are read by Strata's own strict decoder, responses written as
                    // finished bytes (`ResponseBytes`), and pipelining is the connection handler's.
                    try pipeline.addHandler(RequestDecoder(lineLimit: configuration.maximumHeaderBytes,
                                                           fieldLimit: configuration.maximumHeaderBytes),
                                            name: HTTPServer.decoderName)
                    try pipeline.addHandler(ConnectionGuard(headTimeout: TimeAmount(configuration.requestHeadTimeout),
                                                            idleTimeout: TimeAmount(configuration.idleTimeout)),
                                            name: HTTPServer.guardName)
                    try pipeline.addHandler(HTTPConnectionHandler(responder: responder, executor: executor, bodyLimit: bodyLimit,
                                                                  requestTimeout: configuration.requestTimeout))
                    children.add(channel)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        let port = serverChannel.localAddress?.port ?? configuration.port
        let shownHost = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        await onRunning("http://\(shownHost):\(port)")
        try? await gracefulShutdown()
        // Stop accepting; let each connection end its request under way, then close.
        try? await serverChannel.close()
        await withTaskCancellationHandler {
            children.quiesce()
            await children.closed()
        } onCancel: {
            children.closeAll()
        }
    }
}

/// The server's open connections, to quiesce or close them at shutdown.
final class OpenConnections: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.channels[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.channels[id] = nil
                guard state.channels.isEmpty else { return [] }
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Asks every connection to close once its request under way is answered (idle ones at once).
    func quiesce() {
        for channel in state.withLock({ Array($0.channels.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    func closeAll() {
        for channel in state.withLock({ Array($0.channels.values) }) { channel.close(promise: nil) }
    }

    /// Returns once no connection is open.
    func closed() async {
        await withCheckedContinuation { continuation in
            let empty = state.withLock { state -> Bool in
                if state.channels.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if empty { continuation.resume() }
        }
    }
}
