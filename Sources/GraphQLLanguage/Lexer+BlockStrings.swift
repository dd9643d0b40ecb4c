extension Lexer {
    /// Reads a block string (spec §2.1.12, `"""…"""`): raw text across lines, where only `\"""`
    /// is an escape, then applies the spec's BlockStringValue() to remove common indentation
    /// and blank first and last lines.
    mutating func readBlockString(decoding: Bool = true) throws(GraphQLError) -> String {
        position += 3
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var chunkStart = position
        func takeChunk(upTo end: Int) {
            if decoding { current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<end])) }
        }
        while position < bytes.count {
            let code = bytes[position]
            if code == UInt8(ascii: "\""), byte(position + 1) == UInt8(ascii: "\""), byte(position + 2) == UInt8(ascii: "\"") {
                takeChunk(upTo: position)
                lines.append(current)
                position += 3
                return decoding ? BlockString.value(ofLines: lines) : ""
            }
            if code == UInt8(ascii: "\\"), byte(position + 1) == UInt8(ascii: "\""),
               byte(position + 2) == UInt8(ascii: "\""), byte(position + 3) == UInt8(ascii: "\"") {
                takeChunk(upTo: position)
                if decoding { current.append(contentsOf: [0x22, 0x22, 0x22]) }
                position += 4
                chunkStart = position
                continue
            }
            if code == UInt8(ascii: "\n") || code == UInt8(ascii: "\r") {
                takeChunk(upTo: position)
                if decoding { lines.append(current) }
                current = []
                position += code == UInt8(ascii: "\r") && byte(position + 1) == UInt8(ascii: "\n") ? 2 : 1
                newLine()
                chunkStart = position
                continue
            }
            if code < 0x80 {
                position += 1
            } else {
                try advanceOverScalar()
            }
        }
        throw error(at: position, "Unterminated string.")
    }
}

/// The block string algorithms of the spec: the value of raw lines, and whether a value can be
/// printed back as a block string.
public enum BlockString {
    /// BlockStringValue() (spec §2.1.12): common indentation (ignoring the first line and
    /// whitespace-only lines) removed, leading and trailing blank lines dropped, lines joined by `\n`.
    static func value(ofLines lines: [[UInt8]]) -> String {
        var commonIndent = Int.max
        var firstNonBlank: Int?
        var lastNonBlank = -1
        for (index, line) in lines.enumerated() {
            let indent = leadingWhitespace(line)
            if indent == line.count { continue }
            firstNonBlank = firstNonBlank ?? index
            lastNonBlank = index
            if index != 0 && indent < commonIndent { commonIndent = indent }
        }
        guard let first = firstNonBlank else { return "" }
        var result: [UInt8] = []
        for index in first...lastNonBlank {
            if index > first { result.append(0x0A) }
            let line = lines[index]
            if index == 0 || commonIndent == Int.max {
                result.append(contentsOf: line)
            } else {
                result.append(contentsOf: line.dropFirst(min(commonIndent, line.count)))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func leadingWhitespace(_ line: [UInt8]) -> Int {
        var count = 0
        while count < line.count, line[count] == 0x20 || line[count] == 0x09 { count += 1 }
        return count
    }
}
