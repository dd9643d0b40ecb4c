import Crypto
import Foundation
import PostgresNIO
import SQL

/// A statement prepared once per connection and executed by name afterwards. Its name comes
/// from a hash of its text, so every connection and every process names it alike.
public struct PreparedSQL: Sendable, Hashable {
    public let text: String
    public let name: String
    /// Each parameter's type: `text`, or `text[]` for lists. Values travel as text and the
    /// statement casts them, so one preparation fits every value.
    public let parameterTypes: [PostgresDataType]

    /// The most parameters one statement may carry: the protocol counts them in 16 bits.
    public static let maxParameters = 65_535

    public init(_ text: String, listParameters: Set<Int> = []) {
        self.text = text
        let digest = SHA256.hash(data: Data(text.utf8))
        self.name = "strata_" + Hex.encode(digest.prefix(12))
        let count = Self.parameterCount(text)
        self.parameterTypes = (0..<count).map { listParameters.contains($0) ? .textArray : .text }
    }

    /// The highest `$n` in the text.
    static func parameterCount(_ text: String) -> Int {
        var highest = 0
        var bytes = text.utf8.makeIterator()
        var current: Int?
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "$") {
                current = 0
            } else if let value = current, byte >= 0x30, byte <= 0x39 {
                current = value * 10 + Int(byte - 0x30)
            } else {
                if let value = current { highest = max(highest, value) }
                current = nil
            }
        }
        if let value = current { highest = max(highest, value) }
        return highest
    }
}

/// Runs a `PreparedSQL` through PostgresNIO's prepared-statement path, which prepares a name
/// on a connection the first time it is used there and executes it by name afterwards.
/// PostgresNIO reads a prepared statement's name, text and types from static members; these
/// read the statement of the running task, so one type serves every statement the planner makes.
struct PlannedStatement: PostgresPreparedStatement {
    typealias Row = ByteBuffer?

    @TaskLocal static var current = PreparedSQL("SELECT 1")

    static var name: String { current.name }
    static var sql: String { current.text }
    static var bindingDataTypes: [PostgresDataType] { current.parameterTypes }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> ByteBuffer? {
        var cells = row.makeIterator()
        return cells.next()?.bytes
    }

    /// The first column of the first row, as PostgreSQL sent it.
    static func firstValue(of statement: PreparedSQL, binds: [SQLValue], on connection: PostgresConnection,
                           logger: Logger) async throws -> ByteBuffer? {
        // PostgresNIO traps on more parameters than the protocol's 16-bit count: refuse first.
        guard binds.count <= PreparedSQL.maxParameters, statement.parameterTypes.count <= PreparedSQL.maxParameters else {
            throw SessionPoolError.tooManyParameters(max(binds.count, statement.parameterTypes.count))
        }
        let bindings = PostgresBindings(binds)
        return try await $current.withValue(statement) {
            var first: ByteBuffer??
            for try await row in try await connection.execute(PlannedStatement(bindings: bindings), logger: logger) where first == nil {
                first = row
            }
            return first ?? nil
        }
    }
}

extension PostgresConnection {
    /// Runs a prepared statement with its binds on this connection; the first column of its
    /// first row as text, or nil.
    public func firstText(of statement: PreparedSQL, binds: [SQLValue], logger: Logger) async throws -> String? {
        try await withTaskExecutorPreference(EventLoopExecutor.of(eventLoop)) {
            guard !isClosed else { throw SessionPoolError.connectionLost }
            return try await PlannedStatement.firstValue(of: statement, binds: binds, on: self, logger: logger)
                .map { String(buffer: $0) }
        }
    }

    /// Runs a prepared statement with its binds on this connection; the first column of every
    /// row as text (nil for SQL NULL).
    public func texts(of statement: PreparedSQL, binds: [SQLValue], logger: Logger) async throws -> [String?] {
        try await withTaskExecutorPreference(EventLoopExecutor.of(eventLoop)) {
            guard !isClosed else { throw SessionPoolError.connectionLost }
            guard binds.count <= PreparedSQL.maxParameters else { throw SessionPoolError.tooManyParameters(binds.count) }
            return try await PlannedStatement.$current.withValue(statement) {
                var values: [String?] = []
                for try await row in try await execute(PlannedStatement(bindings: PostgresBindings(binds)), logger: logger) {
                    values.append(row.map { String(buffer: $0) })
                }
                return values
            }
        }
    }
}
