import NIOCore

/// What PostgreSQL sends (protocol 3.0), as far as Strata's statements need it: a row's first
/// column is kept as the server's bytes, everything a statement does not answer with is skipped.
enum BackendMessage: Sendable, Equatable {
    case authentication(Authentication)
    case backendKeyData(processID: Int32, secretKey: Int32)
    case parameterStatus(name: String, value: String)
    /// `I` idle, `T` in a transaction, `E` in a failed transaction.
    case readyForQuery(transactionStatus: UInt8)
    case parseComplete
    /// The first column of a row (nil for SQL NULL or a row without columns).
    case dataRow(firstColumn: ByteBuffer?)
    /// A statement's end (`CommandComplete`): what separates the answers of a pipeline.
    case commandComplete
    case error(DatabaseServerError)
    /// Messages that need no answer here: bind completion, row descriptions,
    /// notices, notifications, parameter status.
    case ignored

    enum Authentication: Sendable, Equatable {
        case ok
        case cleartextPassword
        case md5Password(salt: [UInt8])
        case sasl(mechanisms: [String])
        case saslContinue([UInt8])
        case saslFinal([UInt8])
        /// Kerberos, GSSAPI, SSPI: methods Strata does not speak.
        case unsupported(Int32)
    }

    /// The longest message accepted: a row of Strata's planned statements is one JSON document,
    /// bounded by PostgreSQL's 1 GB limit on a value.
    static let maximumLength = 1 << 30

    /// Decodes one message of `type` from its body (the bytes after the length).
    static func decode(type: UInt8, body: inout ByteBuffer) throws(WireProtocolError) -> BackendMessage {
        switch type {
        case UInt8(ascii: "R"): return .authentication(try Authentication.decode(&body))
        case UInt8(ascii: "K"):
            guard let processID = body.readInteger(as: Int32.self), let secretKey = body.readInteger(as: Int32.self) else {
                throw WireProtocolError("a short BackendKeyData message")
            }
            return .backendKeyData(processID: processID, secretKey: secretKey)
        case UInt8(ascii: "S"):
            guard let name = body.readNullTerminatedString(), let value = body.readNullTerminatedString() else {
                throw WireProtocolError("a malformed ParameterStatus message")
            }
            return .parameterStatus(name: name, value: value)
        case UInt8(ascii: "Z"):
            guard let status = body.readInteger(as: UInt8.self) else { throw WireProtocolError("a short ReadyForQuery message") }
            return .readyForQuery(transactionStatus: status)
        case UInt8(ascii: "1"): return .parseComplete
        case UInt8(ascii: "D"): return .dataRow(firstColumn: try firstColumn(of: &body))
        case UInt8(ascii: "E"): return .error(DatabaseServerError(fields: fields(of: &body)))
        case UInt8(ascii: "C"): return .commandComplete
        case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "I"), UInt8(ascii: "n"),
             UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "N"), UInt8(ascii: "A"):
            return .ignored
        default:
            // COPY, function calls and replication never start from Strata's statements.
            throw WireProtocolError("an unexpected message of type \(type)")
        }
    }

    private static func firstColumn(of body: inout ByteBuffer) throws(WireProtocolError) -> ByteBuffer? {
        guard let count = body.readInteger(as: Int16.self) else { throw WireProtocolError("a short DataRow message") }
        guard count > 0 else { return nil }
        guard let length = body.readInteger(as: Int32.self) else { throw WireProtocolError("a short DataRow message") }
        guard length >= 0 else { return nil }
        guard let value = body.readSlice(length: Int(length)) else { throw WireProtocolError("a DataRow shorter than its column") }
        return value
    }

    /// An ErrorResponse's fields: a code byte and a string each, ended by a zero byte.
    private static func fields(of body: inout ByteBuffer) -> [UInt8: String] {
        var fields: [UInt8: String] = [:]
        while let code = body.readInteger(as: UInt8.self), code != 0, let value = body.readNullTerminatedString() {
            fields[code] = value
        }
        return fields
    }
}

extension BackendMessage.Authentication {
    static func decode(_ body: inout ByteBuffer) throws(WireProtocolError) -> Self {
        guard let code = body.readInteger(as: Int32.self) else { throw WireProtocolError("a short Authentication message") }
        switch code {
        case 0: return .ok
        case 3: return .cleartextPassword
        case 5:
            guard let salt = body.readBytes(length: 4) else { throw WireProtocolError("an md5 request without its salt") }
            return .md5Password(salt: salt)
        case 10:
            var mechanisms: [String] = []
            while let mechanism = body.readNullTerminatedString(), !mechanism.isEmpty { mechanisms.append(mechanism) }
            return .sasl(mechanisms: mechanisms)
        case 11: return .saslContinue(body.readBytes(length: body.readableBytes) ?? [])
        case 12: return .saslFinal(body.readBytes(length: body.readableBytes) ?? [])
        default: return .unsupported(code)
        }
    }
}
