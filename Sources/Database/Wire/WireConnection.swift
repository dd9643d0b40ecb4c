import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SQL
import Synchronization

/// A connection to PostgreSQL that runs Strata's prepared statements with nothing between the
/// request and the socket: a statement is written on the connection's event loop, its rows
/// are read there, and the waiting task gets the first column of the first row as the bytes
/// PostgreSQL sent. Statements are prepared on first use and executed by name afterwards.
/// One statement at a time; the session pool lends a connection to one request at a time.
public final class WireConnection: Sendable {
    struct BackendKey: Sendable {
        var processID: Int32
        var secretKey: Int32
    }

    /// What the connection's handler counts, readable from any thread.
    final class Counts: Sendable {
        let preparedStatements = Atomic(0)
    }

    let channel: any Channel
    private let handler: NIOLoopBound<WireChannelHandler>
    private let counts: Counts
    /// The server process serving this connection, for cancel requests.
    public let processID: Int32
    let secretKey: Int32

    private init(channel: any Channel, handler: NIOLoopBound<WireChannelHandler>, counts: Counts, key: BackendKey) {
        self.channel = channel
        self.handler = handler
        self.counts = counts
        self.processID = key.processID
        self.secretKey = key.secretKey
    }

    public var eventLoop: any EventLoop { channel.eventLoop }

    /// How many statements the server holds prepared for this session (each holds its plans).
    public var preparedStatements: Int { counts.preparedStatements.load(ordering: .relaxed) }

    /// Whether the connection has closed (the server went away, or `close` was called).
    public var isClosed: Bool { !channel.isActive }

    /// Connects to `endpoint` on `eventLoop` and starts a session with `parameters` (settings
    /// such as `TimeZone`), giving up after `timeout`.
    public static func connect(to endpoint: DatabaseEndpoint, on eventLoop: any EventLoop,
                               parameters: [(String, String)], timeout: Duration) async throws -> WireConnection {
        let tls = try endpoint.wireTLS()
        let machine = WireStateMachine(username: endpoint.username, password: endpoint.password, database: endpoint.database,
                                       parameters: parameters, tls: tls.mode)
        let started = eventLoop.makePromise(of: BackendKey.self)
        let counts = Counts()
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = WireChannelHandler(machine: machine, tls: tls.context.map { ($0, tls.serverHostname) }, counts: counts,
                                                     startup: started)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            switch endpoint.address {
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            case .unixSocket(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            let failure = WireConnectionFailure("could not connect to \(endpoint.displayName): \(error)")
            started.fail(failure)
            throw failure
        }
        // A server that accepts the connection but never finishes the startup is given up on too.
        // The timer is stopped on the loop the moment the session has started, not after this
        // task resumes: a startup that finished just in time must not lose its connection to it.
        let deadline = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            started.fail(WireConnectionFailure("PostgreSQL at \(endpoint.displayName) did not finish starting the session within \(timeout)"))
            channel.close(promise: nil)
        }
        started.futureResult.whenComplete { _ in deadline.cancel() }
        do {
            let key = try await started.futureResult.get()
            let handler = try await eventLoop.submit {
                // Closed meanwhile (the server went away), the channel has no handler left.
                guard let handler = try? channel.pipeline.syncOperations.handler(type: WireChannelHandler.self) else {
                    throw WireConnectionFailure("PostgreSQL at \(endpoint.displayName) closed the connection as its session started")
                }
                return NIOLoopBound(handler, eventLoop: eventLoop)
            }.get()
            return WireConnection(channel: channel, handler: handler, counts: counts, key: key)
        } catch {
            deadline.cancel()
            try? await channel.close()
            throw error
        }
    }

    /// Runs `statement` with `binds`; the first column of its first row as PostgreSQL sent it
    /// (nil for no row or SQL NULL). A server error is thrown as `DatabaseServerError`.
    public func firstValue(of statement: PreparedSQL, binds: [SQLValue]) async throws -> ByteBuffer? {
        guard binds.count <= PreparedSQL.maxParameters, statement.parameterTypes.count <= PreparedSQL.maxParameters else {
            throw SessionPoolError.tooManyParameters(max(binds.count, statement.parameterTypes.count))
        }
        return try await run(.execute(statement, binds: binds))
    }

    /// Runs `statements` in one round trip and one implicit transaction: each sees the writes of
    /// the ones before, and all commit together after the last, or none does — the first error
    /// (the server skips the rest) is thrown as `DatabaseServerError`. Each statement's first
    /// value, in order.
    public func firstValues(of statements: [(statement: PreparedSQL, binds: [SQLValue])]) async throws -> [ByteBuffer?] {
        for (statement, binds) in statements {
            guard binds.count <= PreparedSQL.maxParameters, statement.parameterTypes.count <= PreparedSQL.maxParameters else {
                throw SessionPoolError.tooManyParameters(max(binds.count, statement.parameterTypes.count))
            }
        }
        return try await run(.pipeline(statements), WireChannelHandler.Pending.pipeline)
    }

    /// Runs a statement without values through the simple protocol (`BEGIN`, `COMMIT`).
    public func simpleQuery(_ text: String) async throws {
        _ = try await run(.simple(text))
    }

    private func run(_ request: WireStateMachine.Request) async throws -> ByteBuffer? {
        try await run(request, WireChannelHandler.Pending.one)
    }

    /// Hands `request` to the handler on the connection's loop (in place when already there);
    /// `waiting` wraps the continuation that gets its outcome.
    private func run<Value: Sendable>(_ request: WireStateMachine.Request,
                                      _ waiting: @escaping @Sendable (UnsafeContinuation<Value, any Error>) -> WireChannelHandler.Pending) async throws -> Value {
        let handler = self.handler
        let loop = channel.eventLoop
        return try await withUnsafeThrowingContinuation { continuation in
            if loop.inEventLoop {
                handler.value.run(request, waiting(continuation))
            } else {
                loop.execute { handler.value.run(request, waiting(continuation)) }
            }
        }
    }

    /// Ends the session (`Terminate`) and closes the socket.
    public func close() async {
        let channel = self.channel
        guard channel.isActive else { return }
        var buffer = channel.allocator.buffer(capacity: 5)
        FrontendMessage.terminate.write(into: &buffer)
        try? await channel.writeAndFlush(buffer)
        try? await channel.close()
    }

    /// Closes the socket without waiting (the server ends the session when it sees it close).
    func closeSoon() {
        channel.close(promise: nil)
    }
}

extension DatabaseEndpoint {
    /// How a wire connection to this endpoint uses TLS: never over a Unix socket.
    func wireTLS() throws -> (mode: WireStateMachine.TLS, context: NIOSSLContext?, serverHostname: String?) {
        guard case .tcp(let host, _) = address else { return (.disable, nil, nil) }
        let mode: WireStateMachine.TLS
        switch tls {
        case .disable: return (.disable, nil, nil)
        case .prefer: mode = .prefer
        case .require, .verifyFull: mode = .require
        }
        // A name, not an address, is what TLS checks a certificate against and sends as SNI.
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return (mode, try NIOSSLContext(configuration: tlsConfiguration), isAddress ? nil : host)
    }
}
