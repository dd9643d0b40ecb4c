import GraphQLLanguage
import Prometheus
import Telemetry

/// The request pipeline's instruments, made once: operations by transport, type and outcome,
/// their latency and database time, and the document and plan caches.
public struct RequestMetrics: Sendable {
    public enum Transport: String, Sendable, CaseIterable {
        case http, websocket
    }

    /// What became of a request, by family: a client sees each differently.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Data without errors.
        case ok
        /// Refused before execution: syntax, validation, variables, a malformed request.
        case requestError = "request_error"
        /// Ran and failed: `data` is null.
        case executionError = "execution_error"
        /// No valid token where one is needed.
        case unauthorized
        /// Over a rate or cost limit, or a connection cap.
        case rateLimited = "rate_limited"
        /// The database out of reach or its pool exhausted (503).
        case unavailable
        /// Stopped by the request timeout.
        case timeout

        /// Its place in `allCases`.
        var index: Int {
            switch self {
            case .ok: 0
            case .requestError: 1
            case .executionError: 2
            case .unauthorized: 3
            case .rateLimited: 4
            case .unavailable: 5
            case .timeout: 6
            }
        }
    }

    /// The operation's type, or `unknown` when it was refused before one was found.
    public enum Operation: String, Sendable, CaseIterable {
        case query, mutation, subscription, unknown

        /// Its place in `allCases`.
        var index: Int {
            switch self {
            case .query: 0
            case .mutation: 1
            case .subscription: 2
            case .unknown: 3
            }
        }

        public init(_ type: OperationType?) {
            switch type {
            case .query: self = .query
            case .mutation: self = .mutation
            case .subscription: self = .subscription
            case nil: self = .unknown
            }
        }
    }

    public let metrics: StrataMetrics
    private let requests: [Prometheus.Counter]
    private let durations: [LatencyHistogram]
    private let databaseDurations: [LatencyHistogram]
    let documentHits: Prometheus.Counter
    let documentMisses: Prometheus.Counter
    let planHits: Prometheus.Counter
    let planMisses: Prometheus.Counter

    public init(_ metrics: StrataMetrics) {
        self.metrics = metrics
        var requests: [Prometheus.Counter] = []
        var durations: [LatencyHistogram] = []
        for transport in Transport.allCases {
            for operation in Operation.allCases {
                for outcome in Outcome.allCases {
                    requests.append(metrics.counter("strata_requests_total", "GraphQL operations handled, by transport, operation type and outcome.",
                                                    labels: [("transport", transport.rawValue), ("operation", operation.rawValue),
                                                             ("outcome", outcome.rawValue)]))
                }
                durations.append(metrics.latency("strata_request_duration_seconds",
                                                   "Time from a request read to its response ready (HTTP), or an operation received to its first result (WebSocket).",
                                                   labels: [("transport", transport.rawValue), ("operation", operation.rawValue)]))
            }
        }
        self.requests = requests
        self.durations = durations
        databaseDurations = Operation.allCases.map { operation in
            metrics.latency("strata_database_duration_seconds",
                              "Time an operation spent on the database: waiting for a connection, its settings, statements and commit.",
                              labels: [("operation", operation.rawValue)])
        }
        let cache = "Lookups in the cache of parsed and validated documents (document) and of plans (plan)."
        documentHits = metrics.counter("strata_cache_lookups_total", cache, labels: [("cache", "document"), ("result", "hit")])
        documentMisses = metrics.counter("strata_cache_lookups_total", cache, labels: [("cache", "document"), ("result", "miss")])
        planHits = metrics.counter("strata_cache_lookups_total", cache, labels: [("cache", "plan"), ("result", "hit")])
        planMisses = metrics.counter("strata_cache_lookups_total", cache, labels: [("cache", "plan"), ("result", "miss")])
    }

    /// Counts one operation and its latency.
    func record(_ transport: Transport, _ operation: Operation, _ outcome: Outcome, duration: Duration, database: Duration?) {
        let operations = Operation.allCases.count, outcomes = Outcome.allCases.count
        let transportIndex = transport == .http ? 0 : 1
        let operationIndex = operation.index, outcomeIndex = outcome.index
        requests[(transportIndex * operations + operationIndex) * outcomes + outcomeIndex].increment()
        durations[transportIndex * operations + operationIndex].record(duration)
        if let database { databaseDurations[operationIndex].record(database) }
    }
}

extension RequestMetrics.Outcome {
    /// The outcome of an operation that ran and failed with `errors`.
    init(_ errors: [GraphQLError]) {
        let codes = Set(errors.compactMap(\.code))
        if !codes.isDisjoint(with: [ErrorCode.databaseUnavailable, ErrorCode.poolExhausted]) {
            self = .unavailable
        } else if codes.contains(ErrorCode.requestTimeout) {
            self = .timeout
        } else if codes.contains(ErrorCode.rateLimited) {
            self = .rateLimited
        } else {
            self = .executionError
        }
    }
}
