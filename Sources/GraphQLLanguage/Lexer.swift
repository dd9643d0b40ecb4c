/// Turns UTF-8 bytes into GraphQL tokens (spec §2.1, "Source Text" and "Lexical Tokens").
///
/// Works on the raw bytes: only names, punctuators and numbers can occur outside strings and
/// comments, and those are ASCII, so non-ASCII bytes are decoded (and validated) only inside
/// strings, comments and error messages. Lines and UTF-16 columns are tracked as it goes.
struct Lexer {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1
    var lineStart = 0
    /// Bytes minus UTF-16 units between `lineStart` and `position`, for the column of a token.
    var lineAdjust = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inline(__always)
    func byte(_ index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    /// The next token, past whitespace, commas, comments and byte-order marks.
    mutating func next() throws(GraphQLError) -> Token {
        var token = Token(kind: .endOfFile, location: Location(start: 0, end: 0, line: 0, column: 0))
        try next(into: &token)
        return token
    }

    /// Reads the next token into `token` (written in place: no temporary to copy on the hot path).
    mutating func next(into token: inout Token) throws(GraphQLError) {
        let count = bytes.count
        var start = position
        // Spaces and commas between tokens inline; line ends, tabs, comments and BOMs in skipIgnored.
        while start < count, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: ",") {
            start &+= 1
        }
        if start < count, bytes[start] <= UInt8(ascii: "#") || bytes[start] == 0xEF {
            position = start
            try skipIgnored()
            start = position
        }
        guard start < count else {
            position = start
            token = Token(kind: .endOfFile, location: Location(start: start, end: start, line: line, column: column(at: start)))
            return
        }
        let code = bytes[start]
        let kind: TokenKind
        var end = start &+ 1
        if Self.isNameStart(code) {
            while end < count, Self.isNameContinue(bytes[end]) { end &+= 1 }
            kind = .name
        } else {
            switch code {
            case UInt8(ascii: "{"): kind = .braceLeft
            case UInt8(ascii: "}"): kind = .braceRight
            case UInt8(ascii: "("): kind = .parenLeft
            case UInt8(ascii: ")"): kind = .parenRight
            case UInt8(ascii: ":"): kind = .colon
            case UInt8(ascii: "$"): kind = .dollar
            case UInt8(ascii: "@"): kind = .at
            case UInt8(ascii: "!"): kind = .bang
            case UInt8(ascii: "["): kind = .bracketLeft
            case UInt8(ascii: "]"): kind = .bracketRight
            case UInt8(ascii: "="): kind = .equals
            case UInt8(ascii: "&"): kind = .ampersand
            case UInt8(ascii: "|"): kind = .pipe
            case UInt8(ascii: "."):
                guard byte(start + 1) == UInt8(ascii: "."), byte(start + 2) == UInt8(ascii: ".") else {
                    throw unexpectedCharacter(at: start)
                }
                kind = .spread
                end = start &+ 3
            case UInt8(ascii: "\""), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try readLiteral(into: &token, at: start)
                return
            default:
                throw unexpectedCharacter(at: start)
            }
        }
        position = end
        token = Token(kind: kind, location: Location(start: start, end: end, line: line, column: column(at: start)))
    }

    /// Numbers and strings: the tokens whose reading can span lines or fail in their middle.
    @inline(never)
    mutating func readLiteral(into token: inout Token, at start: Int) throws(GraphQLError) {
        let startLine = line
        let column = column(at: start)
        position = start
        let kind: TokenKind
        if bytes[start] != UInt8(ascii: "\"") {
            kind = try readNumber() ? .float : .int
        } else if byte(start + 1) == UInt8(ascii: "\""), byte(start + 2) == UInt8(ascii: "\"") {
            _ = try readBlockString(decoding: false)
            kind = .blockString
        } else {
            _ = try readString(decoding: false)
            kind = .string
        }
        token = Token(kind: kind, location: Location(start: start, end: position, line: startLine, column: column))
    }

    /// The UTF-16 column of `offset` on the current line.
    @inline(__always)
    func column(at offset: Int) -> Int {
        1 &+ offset &- lineStart &- lineAdjust
    }

    /// Skips whitespace, line terminators, commas, comments and byte-order marks (spec §2.1.3–§2.1.7).
    mutating func skipIgnored() throws(GraphQLError) {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "\n"):
                position += 1
                newLine()
            case UInt8(ascii: "\r"):
                position += byte(position + 1) == UInt8(ascii: "\n") ? 2 : 1
                newLine()
            case 0xEF where byte(position + 1) == 0xBB && byte(position + 2) == 0xBF:
                position += 3
                lineAdjust += 2
            case UInt8(ascii: "#"):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n"), bytes[position] != UInt8(ascii: "\r") {
                    if bytes[position] < 0x80 {
                        position += 1
                    } else {
                        position += try decodeScalar(at: position).length
                    }
                }
            default:
                return
            }
        }
    }

    @inline(__always)
    mutating func newLine() {
        line += 1
        lineStart = position
        lineAdjust = 0
    }

    /// The value of a name, number or string token: names and numbers as written, strings with
    /// escapes resolved, block strings dedented. Strings are read again here, already validated.
    func value(of token: Token) -> String {
        switch token.kind {
        case .string:
            var copy = self
            copy.position = token.start
            return (try? copy.readString(decoding: true)) ?? ""
        case .blockString:
            var copy = self
            copy.position = token.start
            return (try? copy.readBlockString()) ?? ""
        default:
            return text(token.start, token.end)
        }
    }

    /// Whether a token's bytes spell `word` (keywords, without making a String).
    func spells(_ token: Token, _ word: StaticString) -> Bool {
        guard token.end - token.start == word.utf8CodeUnitCount else { return false }
        let letters = word.utf8Start
        for index in 0..<word.utf8CodeUnitCount where bytes[token.start + index] != letters[index] {
            return false
        }
        return true
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    @inline(__always)
    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isNameContinue(_ byte: UInt8) -> Bool {
        isNameStart(byte) || isDigit(byte)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Errors

    func error(at offset: Int, _ message: String) -> GraphQLError {
        SyntaxError.at(Source.location(ofOffset: offset, in: bytes), message)
    }

    /// The character at `offset` for messages; `nil` at the end of input.
    func scalar(at offset: Int) -> UInt32? {
        guard offset < bytes.count else { return nil }
        return (try? decodeScalar(at: offset))?.scalar ?? UInt32(bytes[offset])
    }

    @inline(never)
    func unexpectedCharacter(at offset: Int) -> GraphQLError {
        if bytes[offset] == UInt8(ascii: "'") {
            return error(at: offset, "Unexpected single quote character ('), did you mean to use a double quote (\")?")
        }
        do {
            let decoded = try decodeScalar(at: offset)
            return error(at: offset, "Unexpected character: \(SyntaxError.describe(scalar: decoded.scalar)).")
        } catch {
            return error
        }
    }

    /// Decodes one UTF-8 sequence, rejecting overlong forms, surrogates and bytes that start no sequence.
    func decodeScalar(at offset: Int) throws(GraphQLError) -> (scalar: UInt32, length: Int) {
        let lead = bytes[offset]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length: Int
        var scalar: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0: length = 3; scalar = UInt32(lead & 0x0F); low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xED: length = 3; scalar = UInt32(lead & 0x0F); high = 0x9F
        case 0xF0: length = 4; scalar = UInt32(lead & 0x07); low = 0x90
        case 0xF1...0xF3: length = 4; scalar = UInt32(lead & 0x07)
        case 0xF4: length = 4; scalar = UInt32(lead & 0x07); high = 0x8F
        default: throw invalidUTF8(at: offset)
        }
        for index in 1..<length {
            guard let next = byte(offset + index) else { throw invalidUTF8(at: offset) }
            let (lower, upper) = index == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard next >= lower && next <= upper else { throw invalidUTF8(at: offset) }
            scalar = scalar << 6 | UInt32(next & 0x3F)
        }
        return (scalar, length)
    }

    func invalidUTF8(at offset: Int) -> GraphQLError {
        let hex = String(bytes[offset], radix: 16, uppercase: true)
        return error(at: offset, "Invalid UTF-8: byte 0x\(hex.count == 1 ? "0" : "")\(hex) does not begin a valid sequence.")
    }
}
