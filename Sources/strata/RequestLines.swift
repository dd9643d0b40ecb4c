import Logging
import Server

/// The request log's lines in the process's log format, built straight from the report: the
/// same fields `RequestLog` gives swift-log, without a metadata dictionary per request.
struct RequestLines: RequestLineWriter {
    let format: LogFormat

    func write(_ report: RequestReport, duration: Duration, slow: Bool) {
        var fields: [(String, Value)] = [
            ("request_id", .text(report.requestID)), ("transport", .text(report.transport.rawValue)),
            ("type", .text(report.operation.rawValue)), ("outcome", .text(report.outcome.rawValue)),
            ("duration_ms", .number(RequestLog.milliseconds(duration))), ("bytes", .number(String(report.bytes))),
        ]
        fields.reserveCapacity(13)
        if let name = report.operationName { fields.append(("operation", .text(name))) }
        if let role = report.role { fields.append(("role", .text(role))) }
        if let tenant = report.tenant { fields.append(("tenant", .text(tenant))) }
        if let status = report.status { fields.append(("status", .number(String(status)))) }
        if let trace = report.trace { fields.append(("trace_id", .text(trace.traceID))) }
        if let database = report.database { fields.append(("database_ms", .number(RequestLog.milliseconds(database)))) }
        if slow, let fingerprint = report.fingerprint { fields.append(("fingerprint", .text(fingerprint))) }
        let level: Logger.Level = slow ? .warning : .info
        let message = slow ? "slow operation" : "request"
        switch format {
        case .json: LogOutput.write(json(level, message, fields), urgent: slow)
        case .text: LogOutput.write(text(level, message, fields), urgent: slow)
        }
    }

    enum Value {
        case text(String)
        case number(String)
    }

    private func json(_ level: Logger.Level, _ message: String, _ fields: [(String, Value)]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(400)
        line.append(contentsOf: #"{"time":""#.utf8)
        line.append(contentsOf: LogOutput.timestamp().utf8)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: level.rawValue.utf8)
        line.append(contentsOf: #"","logger":"strata.request","message":""#.utf8)
        line.append(contentsOf: message.utf8)
        line.append(UInt8(ascii: "\""))
        for (key, value) in fields {
            line.append(contentsOf: #",""#.utf8)
            line.append(contentsOf: key.utf8)
            line.append(contentsOf: #"":"#.utf8)
            switch value {
            case .text(let text): StrataLogHandler.quote(text, into: &line)
            case .number(let digits): line.append(contentsOf: digits.utf8)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    private func text(_ level: Logger.Level, _ message: String, _ fields: [(String, Value)]) -> String {
        let rendered = fields.sorted { $0.0 < $1.0 }.map { key, value -> String in
            switch value {
            case .text(let text), .number(let text): "\(key)=\(text)"
            }
        }
        return ([LogOutput.timestamp(), level.rawValue, "strata.request:"] + rendered + [message]).joined(separator: " ") + "\n"
    }
}
