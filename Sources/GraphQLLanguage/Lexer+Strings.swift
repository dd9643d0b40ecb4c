extension Lexer {
    /// Reads a StringValue (spec §2.1.12): `"…"` with escapes, on one line. Builds the value only
    /// when `decoding`; the first pass just validates and finds the end.
    mutating func readString(decoding: Bool) throws(GraphQLError) -> String {
        position += 1
        var chunkStart = position
        var value: [UInt8]?
        while position < bytes.count {
            let code = bytes[position]
            switch code {
            case UInt8(ascii: "\""):
                let end = position
                position += 1
                guard decoding else { return "" }
                guard var escaped = value else { return text(chunkStart, end) }
                escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<end]))
                return String(decoding: escaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let (scalar, size) = try readEscape(at: position)
                if decoding {
                    var escaped = value ?? []
                    escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<position]))
                    Self.appendUTF8(scalar, to: &escaped)
                    value = escaped
                }
                position += size
                chunkStart = position
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error(at: position, "Unterminated string.")
            case 0..<0x80:
                position += 1
            default:
                try advanceOverScalar()
            }
        }
        throw error(at: position, "Unterminated string.")
    }

    /// Steps over one non-ASCII character inside a string or comment, validating it and keeping
    /// the column count in UTF-16 units.
    @inline(__always)
    mutating func advanceOverScalar() throws(GraphQLError) {
        let length = try decodeScalar(at: position).length
        lineAdjust += length == 4 ? 2 : length - 1
        position += length
    }

    /// One escape sequence starting at the backslash: its scalar and its length in bytes.
    func readEscape(at start: Int) throws(GraphQLError) -> (UInt32, Int) {
        switch byte(start + 1) {
        case UInt8(ascii: "\""): return (0x22, 2)
        case UInt8(ascii: "\\"): return (0x5C, 2)
        case UInt8(ascii: "/"): return (0x2F, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            return byte(start + 2) == UInt8(ascii: "{")
                ? try readVariableWidthEscape(at: start)
                : try readFixedWidthEscape(at: start)
        case let next?:
            let length = next < 0x80 ? 1 : ((try? decodeScalar(at: start + 1))?.length ?? 1)
            throw error(at: start, "Invalid character escape sequence: \"\(text(start, min(start + 1 + length, bytes.count)))\".")
        case nil:
            throw error(at: start, "Invalid character escape sequence: \"\\\".")
        }
    }

    /// `\uXXXX`, where a leading surrogate must be followed by `\uXXXX` with a trailing one.
    func readFixedWidthEscape(at start: Int) throws(GraphQLError) -> (UInt32, Int) {
        let code = hexValue(start + 2, count: 4)
        if let code, Self.isScalarValue(code) { return (code, 6) }
        if let code, (0xD800...0xDBFF).contains(code),
           byte(start + 6) == UInt8(ascii: "\\"), byte(start + 7) == UInt8(ascii: "u"),
           let trailing = hexValue(start + 8, count: 4), (0xDC00...0xDFFF).contains(trailing) {
            return (0x10000 + ((code - 0xD800) << 10) + (trailing - 0xDC00), 12)
        }
        throw error(at: start, "Invalid Unicode escape sequence: \"\(text(start, min(start + 6, bytes.count)))\".")
    }

    /// `\u{X…}`: one to eight hex digits naming a Unicode scalar value.
    func readVariableWidthEscape(at start: Int) throws(GraphQLError) -> (UInt32, Int) {
        // 32-bit arithmetic, stopping when it overflows, so messages match graphql-js's.
        var point: Int32 = 0
        var size = 3
        while size < 12 {
            let code = byte(start + size)
            size += 1
            if code == UInt8(ascii: "}") {
                if size < 5 || !Self.isScalarValue(UInt32(point)) { break }
                return (UInt32(point), size)
            }
            guard let code, let digit = Self.hexDigit(code) else { break }
            point = point << 4 | Int32(digit)
            if point < 0 { break }
        }
        throw error(at: start, "Invalid Unicode escape sequence: \"\(text(start, min(start + size, bytes.count)))\".")
    }

    func hexValue(_ offset: Int, count: Int) -> UInt32? {
        var value: UInt32 = 0
        for index in offset..<offset + count {
            guard let code = byte(index), let digit = Self.hexDigit(code) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    static func hexDigit(_ code: UInt8) -> UInt32? {
        switch code {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(code - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(code - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(code - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func isScalarValue(_ code: UInt32) -> Bool {
        code <= 0xD7FF || (code >= 0xE000 && code <= 0x10FFFF)
    }

    static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
