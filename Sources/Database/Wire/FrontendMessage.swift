import NIOCore
import SQL

/// What Strata sends PostgreSQL (protocol 3.0), written straight into the outgoing buffer.
enum FrontendMessage: Sendable {
    /// Asks to continue the connection in TLS; answered by one byte, `S` or `N`.
    case sslRequest
    case startup(parameters: [(String, String)])
    /// A cleartext or md5-hashed password.
    case password(String)
    case saslInitialResponse(mechanism: String, data: [UInt8])
    case saslResponse([UInt8])
    /// A prepared statement run by name, prepared first when `parse` is set, with every value
    /// in binary form and every result column in text form.
    case execute(PreparedSQL, binds: [SQLValue], parse: Bool)
    /// Several prepared statements, each prepared first when its `parse` is set, then one
    /// `Sync`: the server runs them in one implicit transaction, committed at the `Sync` if none
    /// fails, and skips the rest after a failure.
    case pipeline([(statement: PreparedSQL, binds: [SQLValue], parse: Bool)])
    /// A statement with no values, through the simple protocol (`BEGIN`, `COMMIT`, `ROLLBACK`).
    case simpleQuery(String)
    case terminate

    /// The protocol version the startup message asks for: 3.0.
    static let protocolVersion: Int32 = 196_608
    static let sslRequestCode: Int32 = 80_877_103
    /// The type OIDs of the parameters `PreparedSQL` declares.
    static let textOID: Int32 = 25
    static let textArrayOID: Int32 = 1009

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .sslRequest:
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(Self.sslRequestCode)
        case .startup(let parameters):
            buffer.framed(type: nil) { body in
                body.writeInteger(Self.protocolVersion)
                for (name, value) in parameters {
                    body.writeNullTerminated(name)
                    body.writeNullTerminated(value)
                }
                body.writeInteger(UInt8(0))
            }
        case .password(let password):
            buffer.framed(type: UInt8(ascii: "p")) { $0.writeNullTerminated(password) }
        case .saslInitialResponse(let mechanism, let data):
            buffer.framed(type: UInt8(ascii: "p")) { body in
                body.writeNullTerminated(mechanism)
                body.writeInteger(Int32(data.count))
                body.writeBytes(data)
            }
        case .saslResponse(let data):
            buffer.framed(type: UInt8(ascii: "p")) { $0.writeBytes(data) }
        case .execute(let statement, let binds, let parse):
            Self.writeExecution(statement, binds, parse: parse, into: &buffer)
            buffer.framed(type: UInt8(ascii: "S")) { _ in }
        case .pipeline(let statements):
            for (statement, binds, parse) in statements {
                Self.writeExecution(statement, binds, parse: parse, into: &buffer)
            }
            buffer.framed(type: UInt8(ascii: "S")) { _ in }
        case .simpleQuery(let text):
            buffer.framed(type: UInt8(ascii: "Q")) { $0.writeNullTerminated(text) }
        case .terminate:
            buffer.framed(type: UInt8(ascii: "X")) { _ in }
        }
    }

    /// Parse (when asked), Bind and Execute of one statement into the unnamed portal.
    private static func writeExecution(_ statement: PreparedSQL, _ binds: [SQLValue], parse: Bool, into buffer: inout ByteBuffer) {
        if parse { writeParse(statement, into: &buffer) }
        writeBind(statement.name, binds, into: &buffer)
        buffer.framed(type: UInt8(ascii: "E")) { body in
            body.writeInteger(UInt8(0)) // the unnamed portal
            body.writeInteger(Int32(0)) // every row
        }
    }

    private static func writeParse(_ statement: PreparedSQL, into buffer: inout ByteBuffer) {
        buffer.framed(type: UInt8(ascii: "P")) { body in
            body.writeNullTerminated(statement.name)
            body.writeNullTerminated(statement.text)
            body.writeInteger(Int16(truncatingIfNeeded: statement.parameterTypes.count))
            for type in statement.parameterTypes {
                body.writeInteger(type == .textArray ? textArrayOID : textOID)
            }
        }
    }

    private static func writeBind(_ name: String, _ binds: [SQLValue], into buffer: inout ByteBuffer) {
        buffer.framed(type: UInt8(ascii: "B")) { body in
            body.writeInteger(UInt8(0)) // the unnamed portal
            body.writeNullTerminated(name)
            body.writeInteger(Int16(1)) // one format for every value:
            body.writeInteger(Int16(1)) // binary
            body.writeInteger(Int16(truncatingIfNeeded: binds.count))
            for value in binds {
                switch value {
                case .null:
                    body.writeInteger(Int32(-1))
                case .text(let text):
                    body.lengthPrefixed { $0.writeString(text) }
                case .textArray(let items):
                    body.lengthPrefixed { Self.writeTextArray(items, into: &$0) }
                }
            }
            body.writeInteger(Int16(1)) // one format for every result column:
            body.writeInteger(Int16(0)) // text
        }
    }

    /// A `text[]` in PostgreSQL's binary array form: one dimension (none when empty), no nulls.
    private static func writeTextArray(_ items: [String], into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(items.isEmpty ? 0 : 1))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(textOID)
        if !items.isEmpty {
            buffer.writeInteger(Int32(truncatingIfNeeded: items.count))
            buffer.writeInteger(Int32(1))
        }
        for item in items {
            buffer.lengthPrefixed { $0.writeString(item) }
        }
    }
}

extension ByteBuffer {
    mutating func writeNullTerminated(_ text: String) {
        writeString(text)
        writeInteger(UInt8(0))
    }

    /// A message: its type byte (none for the startup message), its length, its body.
    mutating func framed(type: UInt8?, _ body: (inout ByteBuffer) -> Void) {
        if let type { writeInteger(type) }
        lengthPrefixed(includingLength: true, body)
    }

    /// `body` preceded by its length as an `Int32` (counting the length itself if asked).
    mutating func lengthPrefixed(includingLength: Bool = false, _ body: (inout ByteBuffer) -> Void) {
        let start = writerIndex
        writeInteger(Int32(0))
        body(&self)
        let length = writerIndex - start - (includingLength ? 0 : 4)
        setInteger(Int32(truncatingIfNeeded: length), at: start)
    }
}
