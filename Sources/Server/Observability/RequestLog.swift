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
        if let writer { return writer.write(level: level, message: message, report: report, duration: duration, slow: slow) }
        var metadata: Logger.Metadata = [:]
        for (key, value) in Self.fields(report, duration: duration, slow: slow) {
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

    /// A field's value as `forEachField` gives it, nothing made of it yet.
    public enum Field {
        /// Text Strata made or checked (an id, a name, a role it serves).
        case text(String)
        /// Text from outside, as a token's claim carried it: it may hold anything, a line break too.
        case claim(String)
        case integer(Int)
        /// Written as milliseconds with three decimals.
        case duration(Duration)
    }

    /// Calls `visit` with each field of a finished request's line, in the order of their keys'
    /// bytes (the text format's order, so its writer sorts nothing); the plan's fingerprint when
    /// it was slow. Builds nothing: a writer renders the values as it goes.
    public static func forEachField(_ report: RequestReport, duration: Duration, slow: Bool, _ visit: (StaticString, Field) -> Void) {
        visit("bytes", .integer(report.bytes))
        if let database = report.database { visit("database_ms", .duration(database)) }
        visit("duration_ms", .duration(duration))
        if slow, let fingerprint = report.fingerprint { visit("fingerprint", .text(fingerprint)) }
        if let name = report.operationName { visit("operation", .text(name)) }
        visit("outcome", .text(report.outcome.rawValue))
        visit("request_id", .text(report.requestID))
        if let role = report.role { visit("role", .text(role)) }
        if let status = report.status { visit("status", .integer(status)) }
        if let tenant = report.tenant { visit("tenant", .claim(tenant)) }
        if let trace = report.trace { visit("trace_id", .text(trace.traceID)) }
        visit("transport", .text(report.transport.rawValue))
        visit("type", .text(report.operation.rawValue))
    }

    /// The fields of a finished request's line, in order, as text and numbers.
    public static func fields(_ report: RequestReport, duration: Duration, slow: Bool) -> [(String, Value)] {
        var fields: [(String, Value)] = []
        fields.reserveCapacity(13)
        forEachField(report, duration: duration, slow: slow) { key, field in
            switch field {
            case .text(let text), .claim(let text): fields.append((key.description, .text(text)))
            case .integer(let number): fields.append((key.description, .number(String(number))))
            case .duration(let duration): fields.append((key.description, .number(milliseconds(duration))))
            }
        }
        return fields
    }

    /// Whole microseconds of `duration`.
    public static func microseconds(_ duration: Duration) -> Int64 {
        // `components` is computed in 128 bits: once, not once per part.
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Milliseconds with three decimals.
    public static func milliseconds(_ duration: Duration) -> String {
        let microseconds = microseconds(duration)
        let whole = microseconds / 1_000, fraction = microseconds % 1_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}

/// Writes a finished request's log line (`request` at `info`, or `slow operation` at
/// `warning`) with the fields `RequestLog` gives it, in order.
public protocol RequestLineWriter: Sendable {
    /// Writes the line of `report`: the fields `RequestLog.forEachField` gives, in order.
    func write(level: Logger.Level, message: String, report: RequestReport, duration: Duration, slow: Bool)
}
