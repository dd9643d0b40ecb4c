import NIOCore

/// Writes many small pieces — a message's integers and names, a response's header lines — into
/// a buffer's free space in one go. Each of `ByteBuffer`'s own writes checks the storage's
/// uniqueness, capacity and exclusive access; a message of twenty pieces paid that twenty times.
/// The cursor never writes past the space it was given: a piece that does not fit is dropped and
/// `overflowed` is set, which the caller treats as the bug it is.
public struct ByteCursor {
    @usableFromInline let space: UnsafeMutableRawBufferPointer
    @usableFromInline var end = 0
    @usableFromInline var failed = false
    /// The bytes written so far.
    public var written: Int { end }
    /// A piece did not fit in the space (a size computed wrong).
    public var overflowed: Bool { failed }

    @usableFromInline
    init(_ space: UnsafeMutableRawBufferPointer) {
        self.space = space
    }

    // Inlinable: a piece is a few instructions where it is written, not a call into this module.
    @inlinable
    mutating func claim(_ count: Int) -> Int? {
        guard count <= space.count - end else {
            failed = true
            return nil
        }
        defer { end += count }
        return end
    }

    @inlinable
    public mutating func put(_ byte: UInt8) {
        guard let at = claim(1) else { return }
        space[at] = byte
    }

    @inlinable
    public mutating func put(_ value: Int16) {
        guard let at = claim(2) else { return }
        space.storeBytes(of: value.bigEndian, toByteOffset: at, as: Int16.self)
    }

    @inlinable
    public mutating func put(_ value: Int32) {
        guard let at = claim(4) else { return }
        space.storeBytes(of: value.bigEndian, toByteOffset: at, as: Int32.self)
    }

    @inlinable
    public mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, let at = claim(bytes.count) else { return }
        UnsafeMutableRawBufferPointer(rebasing: space[at..<(at + bytes.count)]).copyMemory(from: bytes)
    }

    @inlinable
    public mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { put(UnsafeRawBufferPointer($0)) }
    }

    /// `text`'s UTF-8 bytes.
    @inlinable
    public mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }

    /// `value`'s decimal digits (no sign: `value` is not negative).
    @inlinable
    public mutating func putDecimal(_ value: Int) {
        let count = Self.decimalCount(value)
        guard let at = claim(count) else { return }
        var rest = value
        for offset in stride(from: at + count - 1, through: at, by: -1) {
            space[offset] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// How many digits `putDecimal(value)` writes.
    @inlinable
    public static func decimalCount(_ value: Int) -> Int {
        var count = 1
        var rest = max(value, 0)
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}

extension ByteBuffer {
    /// Writes `count` bytes with `fill` in one go. Returns false, with nothing written, if `fill`
    /// wrote another number of bytes than `count` (a size computed wrong).
    @discardableResult
    public mutating func write(count: Int, _ fill: (inout ByteCursor) -> Void) -> Bool {
        var exact = false
        writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
            var cursor = ByteCursor(UnsafeMutableRawBufferPointer(rebasing: space[..<count]))
            fill(&cursor)
            exact = !cursor.overflowed && cursor.written == count
            return exact ? count : 0
        }
        return exact
    }
}
