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
            Self.writeSync(into: &buffer)
        case .pipeline(let statements):
            for (statement, binds, parse) in statements {
                Self.writeExecution(statement, binds, parse: parse, into: &buffer)
            }
            Self.writeSync(into: &buffer)
        case .simpleQuery(let text):
            buffer.framed(type: UInt8(ascii: "Q")) { $0.writeNullTerminated(text) }
        case .terminate:
            buffer.framed(type: UInt8(ascii: "X")) { _ in }
        }
    }

    /// Parse (when asked), Bind and Execute of one statement into the unnamed portal.
    private static func writeExecution(_ statement: PreparedSQL, _ binds: [SQLValue], parse: Bool, into buffer: inout ByteBuffer) {
        if parse { writeParse(statement, into: &buffer) }
        // Written wrong, nothing is written: the server then answers the Sync alone, which the
        // protocol client takes for a message out of place and closes the connection.
        let written = writeBindAndExecute(statement.name, binds, into: &buffer)
        assert(written, "Bind's size computed wrong")
    }

    /// Bind and Execute in one write into the buffer (each of `ByteBuffer`'s own writes checks
    /// the storage again). False, with nothing written, if a size was computed wrong.
    static func writeBindAndExecute(_ name: String, _ binds: [SQLValue], into buffer: inout ByteBuffer) -> Bool {
        var bindLength = 4 + 1 + name.utf8.count + 1 + 2 + 2 + 2 + 2 + 2
        for value in binds {
            bindLength += 4
            switch value {
            case .null: break
            case .text(let text): bindLength += text.utf8.count
            case .textArray(let items): bindLength += textArraySize(items)
            }
        }
        return buffer.write(count: 1 + bindLength + 1 + 4 + 1 + 4) { out in
            out.put(UInt8(ascii: "B"))
            out.put(Int32(truncatingIfNeeded: bindLength))
            out.put(UInt8(0)) // the unnamed portal
            out.put(name)
            out.put(UInt8(0))
            out.put(Int16(1)) // one format for every value:
            out.put(Int16(1)) // binary
            out.put(Int16(truncatingIfNeeded: binds.count))
            for value in binds {
                switch value {
                case .null:
                    out.put(Int32(-1))
                case .text(let text):
                    out.put(Int32(truncatingIfNeeded: text.utf8.count))
                    out.put(text)
                case .textArray(let items):
                    out.put(Int32(truncatingIfNeeded: textArraySize(items)))
                    putTextArray(items, into: &out)
                }
            }
            out.put(Int16(1)) // one format for every result column:
            out.put(Int16(0)) // text
            out.put(UInt8(ascii: "E"))
            out.put(Int32(9))
            out.put(UInt8(0)) // the unnamed portal
            out.put(Int32(0)) // every row
        }
    }

    private static func writeSync(into buffer: inout ByteBuffer) {
        buffer.write(count: 5) { out in
            out.put(UInt8(ascii: "S"))
            out.put(Int32(4))
        }
    }

    /// The bytes `putTextArray` writes for `items`.
    private static func textArraySize(_ items: [String]) -> Int {
        items.reduce(items.isEmpty ? 12 : 20) { $0 + 4 + $1.utf8.count }
    }

    /// A `text[]` in PostgreSQL's binary array form: one dimension (none when empty), no nulls.
    private static func putTextArray(_ items: [String], into out: inout ByteCursor) {
        out.put(Int32(items.isEmpty ? 0 : 1))
        out.put(Int32(0))
        out.put(textOID)
        if !items.isEmpty {
            out.put(Int32(truncatingIfNeeded: items.count))
            out.put(Int32(1))
        }
        for item in items {
            out.put(Int32(truncatingIfNeeded: item.utf8.count))
            out.put(item)
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
