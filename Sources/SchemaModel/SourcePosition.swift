/// Where something was written in the schema files, so later checks (the live catalog, the API
/// builder) can point the author at the line to change.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// An error at this position.
    public func error(_ message: String) -> SchemaError {
        SchemaError(file: file, line: line, column: column, message: message)
    }
}
