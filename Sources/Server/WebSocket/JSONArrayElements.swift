import NIOCore

/// The elements of a JSON array as their own text, cut at the array's top-level commas: how a
/// cohort's `json_agg` result becomes each member's `data`, byte for byte what the member's own
/// statement would have returned. Nil when the text is not an array.
enum JSONArrayElements {
    static func split(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            ranges(raw).map { ranges in ranges.map { String(decoding: raw[$0], as: UTF8.self) } }
        }
    }

    /// The elements as slices of `buffer`, sharing its storage: nothing copied.
    static func slices(of buffer: ByteBuffer) -> [ByteBuffer]? {
        let found = buffer.withUnsafeReadableBytes { ranges($0) }
        return found?.map { buffer.getSlice(at: buffer.readerIndex + $0.lowerBound, length: $0.count)! }
    }

    /// Where each element's text is in `bytes`, without the whitespace around it.
    private static func ranges(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>]? {
        var index = 0
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var elements: [Range<Int>] = []
        var depth = 0
        var inString = false
        var start = index
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]") where depth == 0, UInt8(ascii: ",") where depth == 0:
                    var (lower, upper) = (start, index)
                    while lower < upper, isSpace(bytes[lower]) { lower += 1 }
                    while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
                    if lower < upper { elements.append(lower..<upper) }
                    else if byte == UInt8(ascii: ",") { return nil }
                    if byte == UInt8(ascii: "]") { return elements }
                    start = index + 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
