/// Where a token or syntax node sits in its source: byte range, and the line and column
/// (UTF-16 units, 1-based) of its first character.
public struct Location: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int

    public init(start: Int, end: Int, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }

    public var sourceLocation: SourceLocation {
        SourceLocation(offset: start, line: line, column: column)
    }

    /// From this location's start to `other`'s end.
    public func through(_ other: Location) -> Location {
        Location(start: start, end: other.end, line: line, column: column)
    }
}
