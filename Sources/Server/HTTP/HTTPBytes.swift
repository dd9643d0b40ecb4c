#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte classes of HTTP/1.1's grammar (RFC 9110 §5.6, RFC 9112), ASCII only, and the
/// searches a request's head is read with.
enum HTTPBytes {
    /// `tchar`: what a method, a field's name or a transfer coding is made of.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
             UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "^"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A request target's bytes: visible ASCII (a URI has no spaces, controls or other bytes).
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// A field value's bytes: visible ASCII, spaces and tabs, and `obs-text` (0x80 and above).
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == 0x09
    }

    /// Optional whitespace: a space or a tab.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A hexadecimal digit's value, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Each element of a comma-separated list (`#element`), without its surrounding whitespace;
    /// empty elements are skipped, as RFC 9110 §5.6.1 has recipients do.
    static func forEachListElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var (first, last) = (start, end)
            while first < last, isWhitespace(value[first]) { first += 1 }
            while last > first, isWhitespace(value[last - 1]) { last -= 1 }
            if last > first { body(UnsafeRawBufferPointer(rebasing: value[first..<last])) }
            start = end + 1
        }
    }

    /// The index of the first LF in `bytes[from..<to]`, if any (`memchr`: a head is searched
    /// line by line, not byte by byte).
    @inline(__always)
    static func lineFeed(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + from, 10, to - from) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// The index of the first byte at or after `from` that a field value may not hold (`count`
    /// if none): eight bytes at a time while none of them is a control character.
    static func fieldValueEnd(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int {
        var index = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while bytes.count - index >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Some byte below 0x20 (tabs too, which the byte loop below takes), or some 0x7F.
            let control = (word &- ones &* 0x20) & ~word & highs
            let delete = word ^ (ones &* 0x7F)
            guard control | ((delete &- ones) & ~delete & highs) == 0 else { break }
            index += 8
        }
        while index < bytes.count, isFieldValue(bytes[index]) { index += 1 }
        return index
    }
}
