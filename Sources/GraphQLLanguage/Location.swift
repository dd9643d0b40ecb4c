/// Where a token or syntax node sits in its source: byte range, and the line and column
/// (UTF-16 units, 1-based) of its first character.
///
/// Stored in 32 bits each (documents are far below 4 GB), which keeps syntax nodes small.
public struct Location: Sendable, Hashable, BitwiseCopyable {
    private var storedStart: UInt32
    private var storedEnd: UInt32
    private var storedLine: UInt32
    private var storedColumn: UInt32

    public var start: Int { Int(storedStart) }
    public var end: Int { Int(storedEnd) }
    public var line: Int { Int(storedLine) }
    public var column: Int { Int(storedColumn) }

    public init(start: Int, end: Int, line: Int, column: Int) {
        storedStart = UInt32(truncatingIfNeeded: start)
        storedEnd = UInt32(truncatingIfNeeded: end)
        storedLine = UInt32(truncatingIfNeeded: line)
        storedColumn = UInt32(truncatingIfNeeded: column)
    }

    public var sourceLocation: SourceLocation {
        SourceLocation(offset: start, line: line, column: column)
    }
}
