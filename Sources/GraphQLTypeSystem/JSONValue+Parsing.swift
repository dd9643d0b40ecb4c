extension JSONValue {
    /// A JSON text that is not valid JSON (RFC 8259), with the byte offset of the problem.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at offset \(offset)" }
    }

    /// Parses JSON strictly (RFC 8259): numbers keep their text, object members their order,
    /// nesting is bounded (128 levels by default, as the GraphQL parser's).
    public static func parse(_ text: String, maxDepth: Int = 128) throws(SyntaxError) -> JSONValue {
        try parse(bytes: Array(text.utf8), maxDepth: maxDepth)
    }

    public static func parse(bytes: [UInt8], maxDepth: Int = 128) throws(SyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.error("Unexpected data after the JSON value") }
        return value
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    let maxDepth: Int
    var position = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func error(_ message: String) -> JSONValue.SyntaxError {
        JSONValue.SyntaxError(offset: position, message: message)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONValue.SyntaxError) -> JSONValue {
        guard depth <= maxDepth else { throw error("JSON nesting deeper than \(maxDepth)") }
        guard position < bytes.count else { throw error("Unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("Unexpected character in JSON")
        }
    }

    mutating func expectWord(_ word: String) throws(JSONValue.SyntaxError) {
        for letter in word.utf8 {
            guard position < bytes.count, bytes[position] == letter else { throw error("Invalid literal in JSON") }
            position += 1
        }
    }

    mutating func readObject(depth: Int) throws(JSONValue.SyntaxError) -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("Expected a member name in JSON object") }
            let key = try readString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("Expected ':' in JSON object") }
            position += 1
            skipWhitespace()
            members.append((key, try readValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw error("Unexpected end of JSON") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            guard bytes[position] == UInt8(ascii: "}") else { throw error("Expected ',' or '}' in JSON object") }
            position += 1
            return .object(members)
        }
    }

    mutating func readArray(depth: Int) throws(JSONValue.SyntaxError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try readValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("Unexpected end of JSON") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            guard bytes[position] == UInt8(ascii: "]") else { throw error("Expected ',' or ']' in JSON array") }
            position += 1
            return .array(items)
        }
    }

    mutating func readNumber() throws(JSONValue.SyntaxError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("Invalid number in JSON") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("Invalid number in JSON") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("Invalid number in JSON") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func readString() throws(JSONValue.SyntaxError) -> String {
        position += 1
        // Runs of bytes that need no decoding are copied at once; a string without escapes
        // (a name, most values) becomes a string straight from its bytes.
        var decoded: [UInt8]?
        var ascii = true
        while true {
            let start = position
            let (end, runIsASCII) = plainRun(from: start)
            position = end
            ascii = ascii && runIsASCII
            guard position < bytes.count else { throw error("Unterminated JSON string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                let text: String?
                if var result = decoded {
                    result.append(contentsOf: bytes[start..<end])
                    text = ascii ? String(decoding: result, as: UTF8.self) : String(validating: result, as: UTF8.self)
                } else {
                    text = bytes.withUnsafeBufferPointer { bytes in
                        let run = UnsafeBufferPointer(rebasing: bytes[start..<end])
                        return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
                    }
                }
                guard let text else { throw error("Invalid UTF-8 in JSON string") }
                return text
            }
            guard byte == UInt8(ascii: "\\") else { throw error("Control character in JSON string") }
            var result: [UInt8]
            if let partial = decoded {
                result = partial
            } else {
                // Room for a few more runs like the first: a text with many escapes (a query's
                // line breaks) grows its buffer a couple of times, not at every escape.
                result = []
                result.reserveCapacity(2 * (end - start) + 64)
            }
            decoded = nil
            result.append(contentsOf: bytes[start..<end])
            position += 1
            guard position < bytes.count else { throw error("Unexpected end of JSON") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("Unpaired surrogate in JSON string")
                    }
                    position += 2
                    let low = try readHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("Unpaired surrogate in JSON string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("Unpaired surrogate in JSON string")
                }
                // Surrogates were paired or refused above: `scalar` is a scalar value (≤ 0x10FFFF).
                result.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                if scalar >= 0x80 { ascii = false }
            default:
                throw error("Invalid escape in JSON string")
            }
            decoded = result
        }
    }

    /// Where the run of bytes from `start` that a string holds as they are ends (at a quote, a
    /// backslash, a control character or the end), and whether they were all ASCII. Eight bytes
    /// at a time while none of them ends the run; the word that holds the end is read byte by byte.
    func plainRun(from start: Int) -> (end: Int, ascii: Bool) {
        bytes.withUnsafeBytes { bytes in
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var index = start
            var highWords: UInt64 = 0
            while bytes.count - index >= 8 {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
                let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
                // Some byte below 0x20, some quote, some backslash (each test exact as a whole).
                let control = (word &- ones &* 0x20) & ~word & highs
                let ends = control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)
                guard ends == 0 else { break }
                highWords |= word
                index += 8
            }
            var high: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                high |= byte
                index += 1
            }
            return (index, high < 0x80 && highWords & highs == 0)
        }
    }

    mutating func readHex4() throws(JSONValue.SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("Invalid \\u escape in JSON string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("Invalid \\u escape in JSON string")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
