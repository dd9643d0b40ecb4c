/// What one request came to, gathered as it goes through the pipeline (authenticate →
/// authorize → rate limit → execute) for its metrics and its log line. Holds no token and no
/// variable value.
public struct RequestReport: Sendable {
    public var requestID: String
    public var transport: RequestMetrics.Transport
    public var operation: RequestMetrics.Operation = .unknown
    public var operationName: String?
    public var role: String?
    public var tenant: String?
    public var outcome: RequestMetrics.Outcome = .ok
    /// The HTTP status sent (WebSocket operations have none).
    public var status: Int?
    /// The time spent on the database, if the request reached it.
    public var database: Duration?
    /// The first statement's name: a hash of its SQL text, the same for every request of the
    /// same plan (and the name it is prepared under in PostgreSQL).
    public var fingerprint: String?
    public var bytes: Int = 0
    /// The caller's trace (W3C `traceparent`), if it sent one.
    public var trace: TraceContext?

    public init(requestID: String, transport: RequestMetrics.Transport) {
        self.requestID = requestID
        self.transport = transport
    }
}
