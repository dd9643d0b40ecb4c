import Logging

/// Log lines on standard error, in the format `--log-format` chose.
/// - text: `2026-11-22T09:30:00.125Z warning strata: key=value message`, fields sorted by key; a
///   value holding a control character (a line break) is written as a JSON string, so that every
///   line is one record.
/// - json: one object per line: `time`, `level`, `logger`, `message`, then the metadata's fields
///   in no set order (strings, numbers, or nested for lists and dictionaries), built as bytes,
///   escaping as it goes, so a request's line costs a few microseconds.
///
/// Metadata is rendered when a line is written rather than whenever it is attached.
struct StrataLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: LogFormat, logLevel: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit = event.metadata { all = all.isEmpty ? explicit : all.merging(explicit) { $1 } }
        switch format {
        case .text: LogOutput.write(textLine(event, all), urgent: event.level >= .warning)
        case .json: LogOutput.write(jsonLine(event, all), urgent: event.level >= .warning)
        }
    }

    func textLine(_ event: LogEvent, _ fields: Logger.Metadata) -> String {
        let rendered = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.textValue("\($0.value)"))" }
        return ([LogOutput.timestamp(), event.level.rawValue, label + ":"] + rendered + [event.message.description]).joined(separator: " ") + "\n"
    }

    private func jsonLine(_ event: LogEvent, _ fields: Logger.Metadata) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line.append(contentsOf: #"{"time":""#.utf8)
        LogOutput.timestamp(into: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: #"","logger":"#.utf8)
        Self.quote(label, into: &line)
        line.append(contentsOf: #","message":"#.utf8)
        Self.quote(event.message.description, into: &line)
        for (key, value) in fields where key != "time" && key != "level" && key != "logger" && key != "message" {
            line.append(UInt8(ascii: ","))
            Self.quote(key, into: &line)
            line.append(UInt8(ascii: ":"))
            Self.write(value, into: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    static func write(_ value: Logger.Metadata.Value, into line: inout [UInt8]) {
        switch value {
        case .string(let text):
            quote(text, into: &line)
        case .stringConvertible(let convertible):
            let text = convertible.description
            if isNumber(text) { line.append(contentsOf: text.utf8) } else { quote(text, into: &line) }
        case .array(let items):
            line.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                write(item, into: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let fields):
            line.append(UInt8(ascii: "{"))
            for (index, (key, item)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                quote(key, into: &line)
                line.append(UInt8(ascii: ":"))
                write(item, into: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// A field's value in the text format: as it is, unless it holds a control character — a
    /// line break in an error's description or in a token's claim would otherwise end the line
    /// there and start what reads as another — then as a JSON string, escaped.
    static func textValue(_ text: String) -> String {
        guard hasControlCharacter(text) else { return text }
        var line: [UInt8] = []
        quote(text, into: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends `text` as `textValue` renders it.
    static func appendTextValue(_ text: String, into line: inout [UInt8]) {
        if hasControlCharacter(text) {
            quote(text, into: &line)
        } else {
            line.append(contentsOf: text.utf8)
        }
    }

    private static func hasControlCharacter(_ text: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte < 0x20 || byte == 0x7F { return true }
            return false
        }
        return found ?? text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, everything
    /// else as its UTF-8 bytes.
    static func quote(_ text: String, into line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most values (ids, names, numbers as text) need no escape: copied at once.
            var plain = true
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F {
                plain = false
                break
            }
            guard !plain else { return line.append(contentsOf: bytes) }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    line.append(UInt8(ascii: "\\"))
                    line.append(byte)
                case UInt8(ascii: "\n"): escape(UInt8(ascii: "n"), into: &line)
                case UInt8(ascii: "\r"): escape(UInt8(ascii: "r"), into: &line)
                case UInt8(ascii: "\t"): escape(UInt8(ascii: "t"), into: &line)
                case 0..<0x20, 0x7F:
                    line.append(contentsOf: #"\u00"#.utf8)
                    line.append(hexDigits[Int(byte >> 4)])
                    line.append(hexDigits[Int(byte & 0xF)])
                default: line.append(byte)
                }
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func escape(_ letter: UInt8, into line: inout [UInt8]) {
        line.append(UInt8(ascii: "\\"))
        line.append(letter)
    }

    /// Whether `text` is a plain decimal number (`-12`, `3.250`): metadata given as a number
    /// (not as a string) is written as a JSON number.
    static func isNumber(_ text: String) -> Bool {
        var digits = 0, dots = 0, index = 0, lastWasDigit = false
        for byte in text.utf8 {
            defer { index += 1 }
            switch byte {
            case UInt8(ascii: "-") where index == 0: lastWasDigit = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; lastWasDigit = true
            case UInt8(ascii: ".") where digits > 0 && dots == 0 && lastWasDigit: dots += 1; lastWasDigit = false
            default: return false
            }
        }
        return digits > 0 && digits <= 30 && lastWasDigit
    }
}
