import Logging

/// Where finished requests go: the request metrics, a line per request at `info`, and a
/// warning for those slower than the threshold, with their plan's fingerprint.
public struct RequestLog: Sendable {
    /// Nil: nothing is counted.
    public let metrics: RequestMetrics?
    let logger: Logger
    /// Operations taking longer are logged at `warning`; nil: none is.
    let slowThreshold: Duration?
    /// Writes the lines itself, straight from the report, in the process's log format (one line
    /// per request is the hot path: no metadata dictionary is built); nil: through `logger`.
    let writer: (any RequestLineWriter)?

    public init(metrics: RequestMetrics?, logger: Logger, slowThreshold: Duration? = nil, writer: (any RequestLineWriter)? = nil) {
        self.metrics = metrics
        self.logger = logger
        self.slowThreshold = slowThreshold
        self.writer = writer
    }

    /// Counts requests in `metrics` and logs none.
    public static func unlogged(_ metrics: RequestMetrics?) -> RequestLog {
        RequestLog(metrics: metrics, logger: Logger(label: "strata.request", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func finished(_ report: RequestReport, duration: Duration) {
        metrics?.record(report.transport, report.operation, report.outcome, duration: duration, database: report.database)
        let slow = slowThreshold.map { duration > $0 } ?? false
        guard slow || logger.logLevel <= .info else { return }
        if let writer { return writer.write(report, duration: duration, slow: slow) }
        var metadata: Logger.Metadata = [
            "request_id": .string(report.requestID),
            "transport": .string(report.transport.rawValue),
            "type": .string(report.operation.rawValue),
            "outcome": .string(report.outcome.rawValue),
            "duration_ms": .stringConvertible(Self.milliseconds(duration)),
            "bytes": .stringConvertible(report.bytes),
        ]
        if let name = report.operationName { metadata["operation"] = .string(name) }
        if let role = report.role { metadata["role"] = .string(role) }
        if let tenant = report.tenant { metadata["tenant"] = .string(tenant) }
        if let status = report.status { metadata["status"] = .stringConvertible(status) }
        if let trace = report.trace { metadata["trace_id"] = .string(trace.traceID) }
        if let database = report.database { metadata["database_ms"] = .stringConvertible(Self.milliseconds(database)) }
        if slow {
            if let fingerprint = report.fingerprint { metadata["fingerprint"] = .string(fingerprint) }
            logger.warning("slow operation", metadata: metadata)
        } else {
            logger.info("request", metadata: metadata)
        }
    }

    /// Milliseconds with three decimals.
    public static func milliseconds(_ duration: Duration) -> String {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let whole = microseconds / 1_000, fraction = microseconds % 1_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}

/// Writes a finished request's log line: `request` at `info`, or `slow operation` at `warning`
/// with the plan's fingerprint, with the fields `RequestLog` logs.
public protocol RequestLineWriter: Sendable {
    func write(_ report: RequestReport, duration: Duration, slow: Bool)
}
