import Logging
@testable import Server
import Synchronization
import Telemetry
import Testing

/// Log lines kept in memory.
final class LogLines: Sendable {
    let lines = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var logger: Logger {
        var logger = Logger(label: "strata.request") { _ in Handler(lines: self) }
        logger.logLevel = .info
        return logger
    }

    struct Handler: LogHandler {
        let lines: LogLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.lines.withLock { $0.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })) }
        }
    }
}

@Suite("Request log")
struct RequestLogTests {
    static func report() -> RequestReport {
        var report = RequestReport(requestID: "r-1", transport: .http)
        report.operation = .query
        report.operationName = "Titles"
        report.role = "member"
        report.tenant = "t-1"
        report.status = 200
        report.fingerprint = "s0123456789abcdef"
        return report
    }

    @Test("an operation over the threshold is a warning with its plan's fingerprint; a quick one an info line without it")
    func slowOperations() {
        let lines = LogLines()
        let log = RequestLog(metrics: RequestMetrics(StrataMetrics()), logger: lines.logger, slowThreshold: .milliseconds(100))
        log.finished(Self.report(), duration: .milliseconds(250))
        log.finished(Self.report(), duration: .milliseconds(3))
        let logged = lines.lines.withLock { $0 }
        #expect(logged.map(\.level) == [.warning, .info])
        #expect(logged.map(\.message) == ["slow operation", "request"])
        #expect(logged[0].metadata["fingerprint"] == .string("s0123456789abcdef") && logged[0].metadata["duration_ms"]?.description == "250.000")
        #expect(logged[1].metadata["fingerprint"] == nil)
        #expect(logged[1].metadata["operation"] == .string("Titles") && logged[1].metadata["request_id"] == .string("r-1"))
    }

    @Test("a line's fields come sorted by key, every optional one present, as the text format writes them")
    func fieldOrder() {
        var report = Self.report()
        report.database = .milliseconds(1)
        report.trace = TraceContext(traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(report.trace != nil)
        var keys: [String] = []
        RequestLog.forEachField(report, duration: .milliseconds(2), slow: true) { key, _ in keys.append(key.description) }
        #expect(keys == ["bytes", "database_ms", "duration_ms", "fingerprint", "operation", "outcome", "request_id", "role", "status",
                         "tenant", "trace_id", "transport", "type"])
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("at warning level only slow operations are logged, and every request is still counted")
    func quietLogger() async {
        let lines = LogLines()
        var logger = lines.logger
        logger.logLevel = .warning
        let metrics = StrataMetrics()
        let log = RequestLog(metrics: RequestMetrics(metrics), logger: logger, slowThreshold: .seconds(1))
        for _ in 0..<3 { log.finished(Self.report(), duration: .milliseconds(2)) }
        #expect(lines.lines.withLock { $0.isEmpty })
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"strata_requests_total{transport="http",operation="query",outcome="ok"} 3"#), "\(text)")
    }

    @Test("a client's sensible X-Request-Id is kept; a missing, long or odd one is replaced by 32 hex digits")
    func requestIDs() {
        #expect(RequestID.of("checkout-42") == "checkout-42")
        for given in [nil, "", String(repeating: "x", count: 129), "two words", "line\nbreak", "é"] as [String?] {
            let id = RequestID.of(given)
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit }, "\(String(describing: given)) → \(id)")
        }
        let (first, second) = (RequestID.make(), RequestID.make())
        #expect(first != second)
        #expect(first.prefix(16) == second.prefix(16), "the process's part is the same")
        #expect(first == first.lowercased() && first.allSatisfy { $0.isHexDigit })
    }
}
