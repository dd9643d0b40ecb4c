import Logging

/// Where finished requests go: the request metrics, a line per request at `info`, and a
/// warning for those slower than the threshold, with their plan's fingerprint.
public struct RequestLog: Sendable {
    /// Nil: nothing is counted.
    public let metrics: RequestMetrics?
    let logger: Logger
    /// Operations taking longer are logged at `warning`; nil: none is.
    let slowThreshold: Duration?
    /// Writes the lines itself, in the process's log format (one line per request is the hot
    /// path: no metadata dictionary is built); nil: through `logger`.
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
        let level: Logger.Level = slow ? .warning : .info
        let message = slow ? "slow operation" : "request"
        let fields = Self.fields(report, duration: duration, slow: slow)
        if let writer { return writer.write(level: level, message: message, fields: fields) }
        var metadata: Logger.Metadata = [:]
        for (key, value) in fields {
            switch value {
            case .text(let text): metadata[key] = .string(text)
            case .number(let digits): metadata[key] = .stringConvertible(digits)
            }
        }
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    /// A field's value: text, or a number (written as a JSON number).
    public enum Value: Sendable {
        case text(String)
        case number(String)
    }

    /// The fields of a finished request's line, in order; the plan's fingerprint when it was slow.
    static func fields(_ report: RequestReport, duration: Duration, slow: Bool) -> [(String, Value)] {
        var fields: [(String, Value)] = [
            ("request_id", .text(report.requestID)), ("transport", .text(report.transport.rawValue)),
            ("type", .text(report.operation.rawValue)), ("outcome", .text(report.outcome.rawValue)),
            ("duration_ms", .number(milliseconds(duration))), ("bytes", .number(String(report.bytes))),
        ]
        fields.reserveCapacity(13)
        if let name = report.operationName { fields.append(("operation", .text(name))) }
        if let role = report.role { fields.append(("role", .text(role))) }
        if let tenant = report.tenant { fields.append(("tenant", .text(tenant))) }
        if let status = report.status { fields.append(("status", .number(String(status)))) }
        if let trace = report.trace { fields.append(("trace_id", .text(trace.traceID))) }
        if let database = report.database { fields.append(("database_ms", .number(milliseconds(database)))) }
        if slow, let fingerprint = report.fingerprint { fields.append(("fingerprint", .text(fingerprint))) }
        return fields
    }

    /// Milliseconds with three decimals.
    public static func milliseconds(_ duration: Duration) -> String {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let whole = microseconds / 1_000, fraction = microseconds % 1_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}

/// Writes a finished request's log line (`request` at `info`, or `slow operation` at
/// `warning`) with the fields `RequestLog` gives it, in order.
public protocol RequestLineWriter: Sendable {
    func write(level: Logger.Level, message: String, fields: [(String, RequestLog.Value)])
}
