import Logging
import Server

/// The request log's lines in the process's log format, built straight from `RequestLog`'s
/// fields, without a metadata dictionary per request.
struct RequestLines: RequestLineWriter {
    let format: LogFormat

    func write(level: Logger.Level, message: String, report: RequestReport, duration: Duration, slow: Bool) {
        switch format {
        case .json: LogOutput.write(json(level, message, report, duration: duration, slow: slow), urgent: level >= .warning)
        case .text: LogOutput.write(text(level, message, report, duration: duration, slow: slow), urgent: level >= .warning)
        }
    }

    /// The line as one JSON object, rendered field by field: no string is made for a number.
    private func json(_ level: Logger.Level, _ message: String, _ report: RequestReport, duration: Duration, slow: Bool) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(400)
        line.append(contentsOf: #"{"time":""#.utf8)
        LogOutput.timestamp(into: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: level.rawValue.utf8)
        line.append(contentsOf: #"","logger":"strata.request","message":""#.utf8)
        line.append(contentsOf: message.utf8)
        line.append(UInt8(ascii: "\""))
        RequestLog.forEachField(report, duration: duration, slow: slow) { key, field in
            line.append(UInt8(ascii: ","))
            line.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { line.append(contentsOf: $0) }
            line.append(UInt8(ascii: "\""))
            line.append(UInt8(ascii: ":"))
            switch field {
            case .text(let text), .claim(let text): StrataLogHandler.quote(text, into: &line)
            case .integer(let number): Self.append(Int64(number), into: &line)
            case .duration(let duration): Self.appendMilliseconds(duration, into: &line)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    /// `value`'s decimal digits.
    private static func append(_ value: Int64, into line: inout [UInt8]) {
        if value < 0 { line.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            line.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// The line as the text format writes every line: `time level strata.request: key=value … message`,
    /// the fields sorted by key (the order `forEachField` gives them in), rendered as bytes.
    func text(_ level: Logger.Level, _ message: String, _ report: RequestReport, duration: Duration, slow: Bool) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(320)
        LogOutput.timestamp(into: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: level.rawValue.utf8)
        line.append(contentsOf: " strata.request:".utf8)
        RequestLog.forEachField(report, duration: duration, slow: slow) { key, field in
            line.append(UInt8(ascii: " "))
            key.withUTF8Buffer { line.append(contentsOf: $0) }
            line.append(UInt8(ascii: "="))
            switch field {
            case .text(let text): line.append(contentsOf: text.utf8)
            case .claim(let text): StrataLogHandler.appendTextValue(text, into: &line)
            case .integer(let number): Self.append(Int64(number), into: &line)
            case .duration(let duration): Self.appendMilliseconds(duration, into: &line)
            }
        }
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: message.utf8)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// Milliseconds with three decimals.
    private static func appendMilliseconds(_ duration: Duration, into line: inout [UInt8]) {
        let microseconds = max(0, RequestLog.microseconds(duration))
        append(microseconds / 1_000, into: &line)
        line.append(UInt8(ascii: "."))
        let fraction = microseconds % 1_000
        line.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        line.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }
}
