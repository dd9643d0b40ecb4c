/// Reads the requests of one connection off its bytes, a step at a time: a request's head once
/// all of it has come, then its body as it comes (by `Content-Length`, or chunk by chunk), then its
/// end. Pure: the caller keeps the bytes a step did not consume and hands them back, with what
/// arrived since, to the next step — so a head split over many reads is searched once, not again
/// from its start each time, and a body's bytes are never copied here.
///
/// After a request with an `Upgrade` field it pauses: what follows may be another protocol's
/// (a WebSocket's frames, after a `101`), and is left to whoever takes the connection over.
struct RequestReader {
    enum Step: Equatable {
        /// Nothing more can be read of the bytes until more come; the first `consumed` are done with.
        case needMore(consumed: Int)
        /// A head, which lies in `bytes` (the request line and the fields, each with its CRLF).
        case head(ParsedRequestHead, bytes: Range<Int>, consumed: Int)
        /// These bytes are body; the bytes up to the range's end are done with.
        case body(Range<Int>)
        /// The request has ended; the first `consumed` bytes are done with.
        case end(consumed: Int)
        /// After a request with an `Upgrade` field: the bytes are not read as HTTP.
        case paused
    }

    private enum Phase {
        case head
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkDataEnd
        /// The trailer section after the last chunk, `bytes` of it read so far.
        case trailers(bytes: Int)
        /// The body is read: the request's end is the next step.
        case ended
        case paused
    }

    /// The longest request line (before its CRLF) taken: past it, 414.
    let lineLimit: Int
    /// The most bytes of header fields, and of trailer fields: past them, 431.
    let fieldLimit: Int
    /// The longest line announcing a chunk (its size and extensions).
    static let chunkLineLimit = 4_096

    private var phase = Phase.head
    /// How many of the bytes handed back have been searched for the end of the head.
    private var scanned = 0
    /// Where the request line of the head being searched ends (after its LF), once found.
    private var fieldsStart: Int?
    /// The request read last has an `Upgrade` field.
    private var pausesAfterEnd = false

    init(lineLimit: Int, fieldLimit: Int) {
        self.lineLimit = lineLimit
        self.fieldLimit = fieldLimit
    }

    /// The next step over `bytes`: what was not consumed before, and what came since.
    /// After a throw the connection's bytes are not HTTP any more: call no more.
    mutating func next(_ bytes: UnsafeRawBufferPointer) throws(RequestSyntaxError) -> Step {
        switch phase {
        case .head:
            return try head(bytes)
        case .length(let remaining):
            guard remaining > 0 else { return end(consumed: 0) }
            guard !bytes.isEmpty else { return .needMore(consumed: 0) }
            let taken = min(remaining, bytes.count)
            phase = .length(remaining: remaining - taken)
            return .body(0..<taken)
        case .ended:
            return end(consumed: 0)
        case .paused:
            return .paused
        case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
            return try chunks(bytes)
        }
    }

    private mutating func end(consumed: Int) -> Step {
        phase = pausesAfterEnd ? .paused : .head
        return .end(consumed: consumed)
    }

    /// Searches for the empty line that ends the head, and reads the head once it is found.
    private mutating func head(_ bytes: UnsafeRawBufferPointer) throws(RequestSyntaxError) -> Step {
        // Empty lines before a request line are skipped (RFC 9112 §2.2); they count toward its limit.
        var start = 0
        while bytes.count - start >= 2, bytes[start] == 13, bytes[start + 1] == 10 { start += 2 }
        var index = max(scanned, start)
        while true {
            // Searched up to the limit of the line under way, so that where the bytes were cut
            // does not change which error a head gets. (A request line's CR may wait for its LF.)
            let limit = fieldsStart.map { $0 + fieldLimit + 1 } ?? start + lineLimit + 2
            guard let lineFeed = HTTPBytes.lineFeed(in: bytes, from: index, to: min(bytes.count, limit)) else {
                guard bytes.count < limit else { throw fieldsStart == nil ? .targetTooLong : .fieldsTooLarge }
                break
            }
            index = lineFeed
            guard index > start, bytes[index - 1] == 13 else {
                throw .malformed("A line of the request head ends in LF without CR.")
            }
            if let fieldsStart {
                if index > fieldsStart, bytes[index - 2] == 10 {
                    // CR LF CR LF: the line that ended at `index - 2` was the last.
                    let parsed = try ParsedRequestHead.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)]))
                    scanned = 0
                    self.fieldsStart = nil
                    pausesAfterEnd = parsed.upgrade
                    switch parsed.framing {
                    case .none: phase = .ended
                    case .length(let length): phase = .length(remaining: length)
                    case .chunked: phase = .chunkSize
                    }
                    return .head(parsed, bytes: start..<(index - 1), consumed: index + 1)
                }
            } else {
                fieldsStart = index + 1
            }
            index += 1
        }
        scanned = bytes.count
        return .needMore(consumed: 0)
    }

    /// Reads chunks: their size lines and the CRLF after their data are consumed here; their data
    /// is each a step of its own.
    private mutating func chunks(_ bytes: UnsafeRawBufferPointer) throws(RequestSyntaxError) -> Step {
        var at = 0
        while true {
            switch phase {
            case .chunkSize:
                guard let lineFeed = Self.lineFeed(in: bytes, from: at, within: Self.chunkLineLimit) else {
                    guard bytes.count - at <= Self.chunkLineLimit else { throw .malformed("A chunk's size line is too long.") }
                    return .needMore(consumed: at)
                }
                let size = try Self.chunkSize(UnsafeRawBufferPointer(rebasing: bytes[at..<lineFeed]))
                at = lineFeed + 1
                phase = size == 0 ? .trailers(bytes: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard at < bytes.count else { return .needMore(consumed: at) }
                let taken = min(remaining, bytes.count - at)
                phase = taken == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
                return .body(at..<(at + taken))
            case .chunkDataEnd:
                guard bytes.count - at >= 2 else { return .needMore(consumed: at) }
                guard bytes[at] == 13, bytes[at + 1] == 10 else { throw .malformed("A chunk's data is longer than its size says.") }
                at += 2
                phase = .chunkSize
            case .trailers(let read):
                guard let lineFeed = Self.lineFeed(in: bytes, from: at, within: fieldLimit - read + 1) else {
                    guard read + bytes.count - at <= fieldLimit else { throw .trailersTooLarge }
                    return .needMore(consumed: at)
                }
                guard lineFeed > at, bytes[lineFeed - 1] == 13 else { throw .malformed("A trailer line ends in LF without CR.") }
                if lineFeed == at + 1 {
                    return end(consumed: lineFeed + 1)
                }
                var line = HeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[at...lineFeed]))
                _ = try line.fieldLine()
                phase = .trailers(bytes: read + lineFeed + 1 - at)
                at = lineFeed + 1
            case .head, .length, .ended, .paused:
                preconditionFailure("chunks(_:) reads only a chunked body")
            }
        }
    }

    /// The index of the first LF at or after `from`, looking at `within` bytes at most.
    private static func lineFeed(in bytes: UnsafeRawBufferPointer, from: Int, within: Int) -> Int? {
        var index = from
        let end = min(bytes.count, from + max(0, within))
        while index < end {
            if bytes[index] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// A chunk's size: hexadecimal digits, then nothing or extensions (`;`, after optional
    /// whitespace), ending in CR (before the LF that ended `line`). Extensions are skipped.
    private static func chunkSize(_ line: UnsafeRawBufferPointer) throws(RequestSyntaxError) -> Int {
        guard let last = line.last, last == 13 else { throw .malformed("A chunk's size line ends in LF without CR.") }
        var index = 0
        var size = 0
        while index < line.count - 1, let digit = HTTPBytes.hexValue(line[index]) {
            // 15 hexadecimal digits are far more than any body taken; more would overflow.
            guard size < 1 << 56 else { throw .malformed("A chunk's size is too large.") }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { throw .malformed("A chunk does not begin with its size in hexadecimal.") }
        while index < line.count - 1, HTTPBytes.isWhitespace(line[index]) { index += 1 }
        if index < line.count - 1 {
            guard line[index] == UInt8(ascii: ";") else { throw .malformed("A chunk's size is followed by something other than extensions.") }
            while index < line.count - 1 {
                guard HTTPBytes.isFieldValue(line[index]) else { throw .malformed("A chunk's extensions hold a control character.") }
                index += 1
            }
        }
        return size
    }
}

extension ParsedRequestHead: Equatable {
    static func == (left: Self, right: Self) -> Bool {
        left.method == right.method && left.target == right.target && left.minorVersion == right.minorVersion
            && left.fields.elementsEqual(right.fields, by: ==) && left.framing == right.framing && left.keepAlive == right.keepAlive
    }
}
