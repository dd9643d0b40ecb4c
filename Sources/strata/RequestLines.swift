import Logging
import Server

/// The request log's lines in the process's log format, built straight from `RequestLog`'s
/// fields, without a metadata dictionary per request.
struct RequestLines: RequestLineWriter {
    let format: LogFormat

    func write(level: Logger.Level, message: String, fields: [(String, RequestLog.Value)]) {
        switch format {
        case .json: LogOutput.write(json(level, message, fields), urgent: level >= .warning)
        case .text: LogOutput.write(text(level, message, fields), urgent: level >= .warning)
        }
    }

    private func json(_ level: Logger.Level, _ message: String, _ fields: [(String, RequestLog.Value)]) -> [UInt8] {
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

    private func text(_ level: Logger.Level, _ message: String, _ fields: [(String, RequestLog.Value)]) -> String {
        let rendered = fields.sorted { $0.0 < $1.0 }.map { key, value -> String in
            switch value {
            case .text(let text), .number(let text): "\(key)=\(text)"
            }
        }
        return ([LogOutput.timestamp(), level.rawValue, "strata.request:"] + rendered + [message]).joined(separator: " ") + "\n"
    }
}
