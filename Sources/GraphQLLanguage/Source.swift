/// A GraphQL document's text, with the line starts needed to turn byte offsets into locations.
///
/// Lines end at `\r\n`, `\r` or `\n`, each counting as one line terminator (spec §2.1.4).
public struct Source: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(_ text: String, name: String = "GraphQL request") {
        self.name = name
        self.bytes = Array(text.utf8)
        var starts = [0]
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\r"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                starts.append(index + 1)
            case UInt8(ascii: "\n"):
                starts.append(index + 1)
            default:
                break
            }
            index += 1
        }
        self.lineStarts = starts
    }

    /// The location of a byte offset. Columns count UTF-16 code units, as graphql-js and the
    /// tools built on it do, so error positions agree with theirs.
    public func location(ofOffset offset: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let lineStart = lineStarts[low]
        var column = 1
        var index = lineStart
        while index < min(offset, bytes.count) {
            // A UTF-8 lead byte starts one UTF-16 unit, or two for a 4-byte sequence.
            let byte = bytes[index]
            if byte & 0xC0 != 0x80 { column += byte >= 0xF0 ? 2 : 1 }
            index += 1
        }
        return SourceLocation(offset: offset, line: low + 1, column: column)
    }
}
