import Logging
import Server
@testable import strata
import Testing

/// The text log format: one record per line, whatever its values hold.
@Suite("text log lines")
struct TextLogLineTests {
    @Test("a request's field with a line break is written as a JSON string; plain values as they are")
    func requestLine() {
        var report = RequestReport(requestID: "abc", transport: .http)
        report.tenant = "acme\nfake 2026-01-01T00:00:00.000Z info strata.request: role=admin"
        report.role = "member"
        let line = String(decoding: RequestLines(format: .text).text(.info, "request", report, duration: .milliseconds(2), slow: false),
                          as: UTF8.self)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix(" request\n"), "one line: \(line)")
        #expect(line.contains(#"tenant="acme\nfake 2026-01-01T00:00:00.000Z info strata.request: role=admin""#))
        #expect(line.contains(" role=member ") && line.contains(" request_id=abc "))
    }

    @Test("a log line's metadata value with a control character is escaped; others are left alone")
    func metadataValues() {
        let handler = StrataLogHandler(label: "strata", format: .text, logLevel: .info)
        let event = LogEvent(level: .warning, message: "statement failed", metadata: nil, source: nil, file: "", function: "", line: 0)
        let line = handler.textLine(event, ["error": "ERROR: oops\nDETAIL: row\t1", "table": "tasks", "plain": "a b"])
        #expect(line.hasSuffix(#" warning strata: error="ERROR: oops\nDETAIL: row\t1" plain=a b table=tasks statement failed"# + "\n"),
                "\(line)")
        #expect(StrataLogHandler.textValue("\u{1B}[31m") == #""\u001b[31m""#)
    }
}
