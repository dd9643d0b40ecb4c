/// How a request's body is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable, Sendable {
    /// No body.
    case none
    /// `Content-Length` bytes.
    case length(Int)
    /// Chunks, then trailer fields.
    case chunked
}

/// A request's head as read off the wire: its request line and header fields, and what the
/// fields say of the body and of the connection.
struct ParsedRequestHead {
    var method: String
    var target: String
    /// 0 or 1: the major version is 1.
    var minorVersion: Int
    /// Every field as sent, in order, values without their surrounding whitespace: only when
    /// asked for (a request's handling reads `found`).
    var fields: [(String, String)]
    var found: RequestFields.Finder
    var framing: BodyFraming
    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    var keepAlive: Bool
    /// The request has an `Upgrade` field: what follows it may be another protocol's.
    var upgrade: Bool { found.upgrade != nil }

    /// Reads a request head strictly (RFC 9112), where leniency is where request smuggling lives:
    /// lines end in CRLF; a field's name is a token followed at once by its colon; no line is
    /// folded; no value holds a control character; `Content-Length` is digits and comes once, and
    /// never beside `Transfer-Encoding`, whose one accepted coding is `chunked`, and only in HTTP/1.1.
    /// - Parameter head: the bytes from the request line to the CRLF ending the last field line,
    ///   the empty line after it not included.
    static func parse(_ head: UnsafeRawBufferPointer, keepingFields: Bool = false) throws(RequestSyntaxError) -> ParsedRequestHead {
        var reader = HeadReader(bytes: head)
        return try reader.read(keepingFields: keepingFields)
    }
}

/// One pass over a head's bytes, byte by byte.
struct HeadReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var line = 1

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func read(keepingFields: Bool) throws(RequestSyntaxError) -> ParsedRequestHead {
        let method = try token(ending: UInt8(ascii: " "), what: "method")
        let targetStart = position
        while position < bytes.count, HTTPBytes.isTarget(bytes[position]) { position += 1 }
        guard position > targetStart else { throw .malformed(line: 1, "has no request target after its method") }
        guard position < bytes.count, bytes[position] == UInt8(ascii: " ") else {
            throw .malformed(line: 1, "holds a character a request target may not, or spaces where one belongs")
        }
        let target = string(targetStart..<position)
        position += 1
        let minor = try version()
        try lineEnd()
        var parsed = ParsedRequestHead(method: method, target: target, minorVersion: minor, fields: [], found: .init(),
                                       framing: .none, keepAlive: minor == 1)
        if keepingFields { parsed.fields.reserveCapacity(12) }
        var contentLength: Int?
        // Transfer codings, over every Transfer-Encoding field in order.
        var sawTransferEncoding = false
        var chunkedCount = 0
        var lastIsChunked = false
        var otherCodings = false
        var close = false
        var keepAlive = false
        while position < bytes.count {
            line += 1
            let (nameRange, valueRange) = try fieldLine()
            let name = UnsafeRawBufferPointer(rebasing: bytes[nameRange])
            if keepingFields { parsed.fields.append((string(nameRange), string(valueRange))) }
            guard let known = RequestFields.Known(name: name) else { continue }
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueRange])
            switch known {
            case .connection:
                HTTPBytes.forEachListElement(value) { element in
                    if RequestFields.Known.element(element, is: "close") { close = true }
                    if RequestFields.Known.element(element, is: "keep-alive") { keepAlive = true }
                }
            case .contentLength:
                guard contentLength == nil else { throw .malformed(line: line, "repeats Content-Length") }
                contentLength = try length(valueRange)
            case .transferEncoding:
                sawTransferEncoding = true
                var empty = true
                HTTPBytes.forEachListElement(value) { element in
                    empty = false
                    lastIsChunked = RequestFields.Known.element(element, is: "chunked")
                    if lastIsChunked { chunkedCount += 1 } else { otherCodings = true }
                }
                if empty { throw .malformed(line: line, "names no transfer coding in Transfer-Encoding") }
            default:
                break
            }
            parsed.found.take(known, string(valueRange))
        }
        if sawTransferEncoding {
            guard minor == 1 else { throw .malformed("An HTTP/1.0 request may not have Transfer-Encoding.") }
            guard contentLength == nil else { throw .malformed("A request may not have both Content-Length and Transfer-Encoding.") }
            // Without chunked last, where the body ends cannot be known (RFC 9112 §6.3).
            guard lastIsChunked, chunkedCount == 1 else {
                throw .malformed("A request's Transfer-Encoding must end in chunked, named once.")
            }
            guard !otherCodings else { throw .codingNotImplemented }
            parsed.framing = .chunked
        } else if let contentLength, contentLength > 0 {
            parsed.framing = .length(contentLength)
        }
        parsed.keepAlive = !close && (minor == 1 || keepAlive)
        return parsed
    }

    /// A token up to `end` (consumed too), as a string.
    private mutating func token(ending end: UInt8, what: String) throws(RequestSyntaxError) -> String {
        let start = position
        while position < bytes.count, HTTPBytes.isToken(bytes[position]) { position += 1 }
        guard position > start else { throw .malformed(line: line, "has no \(what)") }
        guard position < bytes.count, bytes[position] == end else {
            throw .malformed(line: line, "holds a character a \(what) may not")
        }
        defer { position += 1 }
        return string(start..<position)
    }

    /// `HTTP/1.1` or `HTTP/1.0`: the minor version.
    private mutating func version() throws(RequestSyntaxError) -> Int {
        let prefix: StaticString = "HTTP/"
        guard bytes.count - position >= 8 else { throw .malformed(line: 1, "does not end in an HTTP version") }
        for index in 0..<5 where bytes[position + index] != prefix.utf8Start[index] {
            throw .malformed(line: 1, "does not end in an HTTP version")
        }
        let (major, dot, minor) = (bytes[position + 5], bytes[position + 6], bytes[position + 7])
        guard HTTPBytes.isDigit(major), dot == UInt8(ascii: "."), HTTPBytes.isDigit(minor) else {
            throw .malformed(line: 1, "does not end in an HTTP version")
        }
        position += 8
        guard major == UInt8(ascii: "1"), minor <= UInt8(ascii: "1") else { throw .versionNotSupported }
        return Int(minor - UInt8(ascii: "0"))
    }

    /// The CRLF ending a line.
    private mutating func lineEnd() throws(RequestSyntaxError) {
        guard bytes.count - position >= 2, bytes[position] == 13, bytes[position + 1] == 10 else {
            throw .malformed(line: line, "holds a character after its end, or does not end in CRLF")
        }
        position += 2
    }

    /// `name: value` CRLF: where the name and the value (its surrounding whitespace left out) lie.
    mutating func fieldLine() throws(RequestSyntaxError) -> (Range<Int>, Range<Int>) {
        let nameStart = position
        while position < bytes.count, HTTPBytes.isToken(bytes[position]) { position += 1 }
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            if position == nameStart, position < bytes.count, HTTPBytes.isWhitespace(bytes[position]) {
                throw .malformed(line: line, "begins with whitespace: a folded line, which HTTP/1.1 no longer allows")
            }
            if position < bytes.count, HTTPBytes.isWhitespace(bytes[position]) {
                throw .malformed(line: line, "has whitespace between a field's name and its colon")
            }
            throw .malformed(line: line, "is not a field: its name holds a character a token may not, or it has no colon")
        }
        guard position > nameStart else { throw .malformed(line: line, "has no field name before its colon") }
        let name = nameStart..<position
        position += 1
        while position < bytes.count, HTTPBytes.isWhitespace(bytes[position]) { position += 1 }
        let valueStart = position
        position = HTTPBytes.fieldValueEnd(bytes, from: position)
        var valueEnd = position
        while valueEnd > valueStart, HTTPBytes.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        guard bytes.count - position >= 2, bytes[position] == 13, bytes[position + 1] == 10 else {
            throw .malformed(line: line, "holds a control character in a field's value")
        }
        position += 2
        return (name, valueStart..<valueEnd)
    }

    /// `Content-Length`'s value: digits only, no sign; past 18 digits, more than any body taken.
    private func length(_ range: Range<Int>) throws(RequestSyntaxError) -> Int {
        guard !range.isEmpty else { throw .malformed(line: line, "has an empty Content-Length") }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard HTTPBytes.isDigit(byte) else { throw .malformed(line: line, "has a Content-Length that is not a number of bytes") }
            if value < 100_000_000_000_000_000 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
        }
        return value
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
