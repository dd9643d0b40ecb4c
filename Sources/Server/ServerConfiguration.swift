/// Where the HTTP server listens, and what one connection may hold on to.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port; the one chosen is announced once the server runs.
    public var port: Int
    /// The most bytes a request's header fields may take, together; more is a 431.
    public var maximumHeaderBytes: Int
    /// How long a request head may take to arrive once its first bytes have; then the
    /// connection is closed (slowloris).
    public var requestHeadTimeout: Duration
    /// How long a connection with no request under way may stay silent before it is closed.
    public var idleTimeout: Duration
    /// How long a request may run once it has been read, all its statements (and waits for a
    /// connection) together; then it is stopped and rolled back. Nil: no limit beyond the
    /// statement timeout.
    public var requestTimeout: Duration?

    public init(host: String = "127.0.0.1", port: Int = 8080, maximumHeaderBytes: Int = 16 * 1024,
                requestHeadTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(75),
                requestTimeout: Duration? = .seconds(30)) {
        self.host = host
        self.port = port
        self.maximumHeaderBytes = maximumHeaderBytes
        self.requestHeadTimeout = requestHeadTimeout
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
    }
}
