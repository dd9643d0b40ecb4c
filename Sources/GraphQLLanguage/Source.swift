/// A GraphQL document's bytes (UTF-8), as received: nothing is decoded until the lexer reads it,
/// so invalid UTF-8 is reported as a syntax error rather than silently replaced.
public struct Source: Sendable {
    public let name: String
    public let bytes: [UInt8]

    public init(_ text: String, name: String = "GraphQL request") {
        self.name = name
        self.bytes = Array(text.utf8)
    }

    public init(bytes: [UInt8], name: String = "GraphQL request") {
        self.name = name
        self.bytes = bytes
    }

    /// The line and column of a byte offset. Lines end at `\r\n`, `\r` or `\n` (spec §2.1.4);
    /// columns count UTF-16 code units, as graphql-js does, so positions agree with its tools.
    /// A linear scan: used for errors, while the lexer tracks positions of tokens as it goes.
    public func location(ofOffset offset: Int) -> SourceLocation {
        bytes.withUnsafeBufferPointer { Self.location(ofOffset: offset, in: $0) }
    }

    static func location(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    if index + 1 == end { break }
                    index += 1
                }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < end {
            let byte = bytes[index]
            // A UTF-8 lead byte starts one UTF-16 unit, or two for a 4-byte sequence.
            if byte & 0xC0 != 0x80 { column += byte >= 0xF0 ? 2 : 1 }
            index += 1
        }
        return SourceLocation(offset: offset, line: line, column: column)
    }
}
