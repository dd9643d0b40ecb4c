@testable import Database
import NIOCore
import SQL
import Testing

/// Strata's PostgreSQL protocol client without a server: messages as PostgreSQL frames them, the
/// startup and authentication exchanges, and what a statement's caller gets back.
@Suite("PostgreSQL wire protocol")
struct WireProtocolTests {
    /// A backend message as the server frames it: type, length, body.
    static func message(_ type: Character, _ body: [UInt8] = []) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [UInt8(ascii: type.unicodeScalars.first!)] + withUnsafeBytes(of: length.bigEndian, Array.init) + body
    }

    static func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func int16(_ value: Int16) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func cString(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    static func dataRow(_ value: String?) -> [UInt8] {
        message("D", int16(1) + (value.map { int32(Int32($0.utf8.count)) + Array($0.utf8) } ?? int32(-1)))
    }

    static let ready = message("Z", [UInt8(ascii: "I")])
    static let statement = PreparedSQL("SELECT $1::text")

    func machine(password: String? = "secret") -> WireStateMachine {
        WireStateMachine(username: "alice", password: password, database: "strata", parameters: [("TimeZone", "UTC")], tls: .disable)
    }

    /// A machine past startup, idle.
    func connected() -> WireStateMachine {
        var machine = machine()
        _ = machine.received(.authentication(.ok))
        _ = machine.received(.backendKeyData(processID: 42, secretKey: 7))
        _ = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I")))
        return machine
    }

    @Test("messages are cut out of the bytes however the reads split them")
    func framing() throws {
        let bytes = Self.message("1") + Self.message("2") + Self.dataRow("{\"id\": 1}") + Self.message("C", Self.cString("SELECT 1"))
            + Self.ready
        for split in 0...bytes.count {
            var reader = BackendMessageReader()
            var messages: [BackendMessage] = []
            for part in [Array(bytes[..<split]), Array(bytes[split...])] {
                var buffer = ByteBuffer(bytes: part)
                reader.append(&buffer)
                while let message = try reader.next() { messages.append(message) }
            }
            #expect(messages == [.parseComplete, .ignored, .dataRow(firstColumn: ByteBuffer(string: "{\"id\": 1}")), .commandComplete,
                                 .readyForQuery(transactionStatus: UInt8(ascii: "I"))], "split at \(split)")
        }
    }

    @Test("a message of impossible length, or a row shorter than its column, ends the connection",
          arguments: [
            [UInt8(ascii: "D")] + int32(3),
            [UInt8(ascii: "D")] + int32(Int32.max),
            [UInt8(ascii: "D")] + int32(-1),
            message("D", int16(1) + int32(100) + [1, 2, 3]),
            message("W", []),
          ])
    func hostileBytes(_ bytes: [UInt8]) {
        var reader = BackendMessageReader()
        var buffer = ByteBuffer(bytes: bytes)
        reader.append(&buffer)
        #expect(throws: WireProtocolError.self) { _ = try reader.next() }
    }

    @Test("startup sends the user, the database and the settings, and ends ready with the backend's key")
    func startup() {
        var machine = machine()
        guard case .send(.startup(let parameters)) = machine.start() else { Issue.record("no startup message"); return }
        #expect(parameters.map(\.0) == ["user", "database", "TimeZone"])
        #expect(parameters.map(\.1) == ["alice", "strata", "UTC"])
        #expect(machine.received(.authentication(.ok)).isNone)
        #expect(machine.received(.parameterStatus(name: "server_version", value: "15")).isNone)
        #expect(machine.received(.backendKeyData(processID: 42, secretKey: 7)).isNone)
        guard case .connected(42, 7) = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("not connected"); return
        }
        #expect(machine.isIdle)
    }

    @Test("TLS: asked first; a server without it is used in the clear under prefer and refused under require")
    func tlsNegotiation() {
        func machine(_ tls: WireStateMachine.TLS) -> WireStateMachine {
            WireStateMachine(username: "alice", password: nil, database: "strata", parameters: [], tls: tls)
        }
        var prefer = machine(.prefer)
        guard case .send(.sslRequest) = prefer.start() else { Issue.record("no TLS request"); return }
        guard case .send(.startup) = prefer.tlsAnswer(UInt8(ascii: "N")) else { Issue.record("prefer gave up"); return }
        var require = machine(.require)
        guard case .failStartup(let error) = require.tlsAnswer(UInt8(ascii: "N")) else { Issue.record("require went on in the clear"); return }
        #expect("\(error)".contains("sslmode=disable"))
        var agreed = machine(.require)
        guard case .startTLS = agreed.tlsAnswer(UInt8(ascii: "S")) else { Issue.record("TLS not started"); return }
        guard case .send(.startup) = agreed.tlsStarted() else { Issue.record("no startup after TLS"); return }
        var garbled = machine(.prefer)
        guard case .failStartup = garbled.tlsAnswer(UInt8(ascii: "E")) else { Issue.record("a garbled answer accepted"); return }
        var plain = machine(.disable)
        guard case .send(.startup) = plain.start() else { Issue.record("TLS asked for under disable"); return }
    }

    @Test("an md5 request is answered with md5(md5(password + user) + salt)")
    func md5() {
        var machine = machine()
        guard case .send(.password(let answer)) = machine.received(.authentication(.md5Password(salt: [1, 2, 3, 4]))) else {
            Issue.record("no password sent"); return
        }
        #expect(answer == "md598a0412b9c31436fc53776e863350083")
    }

    @Test("a password request without a password, or an unknown method, fails the startup with a reason")
    func refusedAuthentication() {
        var machine = machine(password: nil)
        guard case .failStartup(let error) = machine.received(.authentication(.cleartextPassword)) else { Issue.record("not refused"); return }
        #expect("\(error)".contains("has none"))
        var kerberos = self.machine()
        guard case .failStartup(let other) = kerberos.received(.authentication(.unsupported(2))) else { Issue.record("not refused"); return }
        #expect("\(other)".contains("does not speak"))
        var onlyPlus = self.machine()
        guard case .failStartup = onlyPlus.received(.authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS"]))) else {
            Issue.record("not refused"); return
        }
    }

    @Test("SCRAM-SHA-256 computes RFC 7677's proof and checks the server's signature")
    func scram() throws {
        var client = ScramSHA256(user: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: client.clientFirstMessage, as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        let final = try client.clientFinalMessage(answering: Array(serverFirst.utf8))
        #expect(String(decoding: final, as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        #expect(throws: AuthenticationError.self) {
            try client.verify(serverFinal: Array("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
    }

    @Test("a SCRAM challenge that does not extend the client's nonce, or asks absurd work, is refused",
          arguments: ["r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "r=abcdefX,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=999999999",
                      "r=abcdefX,s=***,i=4096", "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"])
    func hostileScram(_ serverFirst: String) {
        var client = ScramSHA256(password: "pencil", nonce: "abcdef")
        #expect(throws: AuthenticationError.self) { _ = try client.clientFinalMessage(answering: Array(serverFirst.utf8)) }
    }

    @Test("a statement is prepared on first use only, and its caller gets the first column of the first row")
    func statement() {
        var machine = connected()
        guard case .send(.execute(_, _, parse: true)) = machine.run(.execute(Self.statement, binds: [.text("a")])) else {
            Issue.record("not parsed first"); return
        }
        #expect(machine.received(.parseComplete).isNone)
        #expect(machine.received(.dataRow(firstColumn: ByteBuffer(string: "first"))).isNone)
        #expect(machine.received(.dataRow(firstColumn: ByteBuffer(string: "second"))).isNone)
        guard case .complete(.success(let value)) = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("not completed"); return
        }
        #expect(value == ByteBuffer(string: "first"))
        guard case .send(.execute(_, _, parse: false)) = machine.run(.execute(Self.statement, binds: [.text("b")])) else {
            Issue.record("parsed again"); return
        }
    }

    @Test("a server error reaches the caller with its fields once the server is ready again; a failed parse prepares nothing")
    func serverError() {
        var machine = connected()
        _ = machine.run(.execute(Self.statement, binds: [.text("a")]))
        let fields: [UInt8: String] = [UInt8(ascii: "C"): "42601", UInt8(ascii: "M"): "syntax error"]
        #expect(machine.received(.error(DatabaseServerError(fields: fields))).isNone)
        guard case .complete(.failure(let error)) = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("not completed"); return
        }
        #expect((error as? DatabaseServerError)?.sqlState == "42601")
        #expect((error as? DatabaseServerError)?[.message] == "syntax error")
        guard case .send(.execute(_, _, parse: true)) = machine.run(.execute(Self.statement, binds: [.text("b")])) else {
            Issue.record("taken as prepared"); return
        }
    }

    @Test("a pipeline prepares each new statement once, and its caller gets each statement's first value in order")
    func pipeline() {
        var machine = connected()
        let other = PreparedSQL("SELECT $1::int")
        _ = machine.run(.execute(Self.statement, binds: [.text("a")]))
        _ = machine.received(.parseComplete)
        _ = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I")))
        let action = machine.run(.pipeline([(Self.statement, [.text("a")]), (other, [.text("1")]), (other, [.text("2")])]))
        guard case .send(.pipeline(let messages)) = action else { Issue.record("not sent as a pipeline"); return }
        #expect(messages.map(\.parse) == [false, true, false], "prepared already, new, prepared by the one before")
        var buffer = ByteBuffer()
        FrontendMessage.pipeline(messages).write(into: &buffer)
        var types: [UInt8] = []
        while let type = buffer.readInteger(as: UInt8.self), let length = buffer.readInteger(as: Int32.self) {
            types.append(type)
            buffer.moveReaderIndex(forwardBy: Int(length) - 4)
        }
        #expect(String(decoding: types, as: UTF8.self) == "BEPBEBES", "one Sync after every statement")
        for message: BackendMessage in [.dataRow(firstColumn: ByteBuffer(string: "a")), .commandComplete, .parseComplete,
                                        .dataRow(firstColumn: ByteBuffer(string: "1")), .dataRow(firstColumn: ByteBuffer(string: "x")), .commandComplete,
                                        .commandComplete] {
            #expect(machine.received(message).isNone)
        }
        guard case .completePipeline(let values) = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("not completed"); return
        }
        #expect(values == [ByteBuffer(string: "a"), ByteBuffer(string: "1"), nil], "a statement without rows answers nil")
        guard case .send(.execute(_, _, parse: false)) = machine.run(.execute(other, binds: [.text("3")])) else {
            Issue.record("the pipeline's statement was not kept as prepared"); return
        }
    }

    @Test("a pipeline that fails reports the server's error; one answered short closes the connection")
    func pipelineFailure() {
        var machine = connected()
        _ = machine.run(.pipeline([(Self.statement, [.text("a")]), (Self.statement, [.text("b")])]))
        _ = machine.received(.parseComplete)
        _ = machine.received(.commandComplete)
        _ = machine.received(.error(DatabaseServerError(fields: [UInt8(ascii: "C"): "23503"])))
        guard case .complete(.failure(let error)) = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("not failed"); return
        }
        #expect((error as? DatabaseServerError)?.sqlState == "23503")
        _ = machine.run(.pipeline([(Self.statement, [.text("a")]), (Self.statement, [.text("b")])]))
        _ = machine.received(.commandComplete)
        guard case .close = machine.received(.readyForQuery(transactionStatus: UInt8(ascii: "I"))) else {
            Issue.record("one answer for two statements was accepted"); return
        }
    }

    @Test("a connection that closes mid-statement fails it with the server's last word, or as a lost connection")
    func closedMidStatement() {
        var machine = connected()
        _ = machine.run(.execute(Self.statement, binds: []))
        let shutdown = DatabaseServerError(fields: [UInt8(ascii: "C"): "57P01", UInt8(ascii: "M"): "terminating connection"])
        _ = machine.received(.error(shutdown))
        guard case .complete(.failure(let error)) = machine.closed(because: nil) else { Issue.record("not failed"); return }
        #expect(ConnectionFault.isConnectionLevel(error))
        var quiet = connected()
        _ = quiet.run(.simple("BEGIN"))
        guard case .complete(.failure(let lost)) = quiet.closed(because: nil) else { Issue.record("not failed"); return }
        #expect(lost is WireConnectionFailure)
        #expect(ConnectionFault.isConnectionLevel(lost))
        guard case .complete(.failure) = quiet.run(.simple("COMMIT")) else { Issue.record("a closed connection took a statement"); return }
    }

    @Test("a message out of place (a row before any statement) closes the connection")
    func outOfPlace() {
        var machine = connected()
        guard case .close = machine.received(.dataRow(firstColumn: nil)) else { Issue.record("accepted"); return }
    }

    @Test("a message measured wrong is not written at all, neither cut short nor past its space")
    func measuredWrong() {
        var buffer = ByteBuffer()
        #expect(!buffer.write(count: 3) { $0.put(Int32(1)) }, "more than measured")
        #expect(!buffer.write(count: 5) { $0.put(Int32(1)) }, "less than measured")
        #expect(buffer.readableBytes == 0)
        #expect(buffer.write(count: 6) { $0.put("ab"); $0.putDecimal(10); $0.put(Int16(-1)) })
        #expect(Array(buffer.readableBytesView) == Array("ab10".utf8) + [0xFF, 0xFF])
    }

    @Test("values travel in binary: text as its bytes, lists as one-dimensional text arrays, null as length -1")
    func binds() {
        var buffer = ByteBuffer()
        FrontendMessage.execute(Self.statement, binds: [.text("é"), .null, .textArray([]), .textArray(["a", ""])], parse: false)
            .write(into: &buffer)
        let length = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self) ?? 0)
        let bind = Array(buffer.readableBytesView.prefix(1 + length))
        let expected: [UInt8] = [0] + Self.cString(Self.statement.name) + Self.int16(1) + Self.int16(1) + Self.int16(4)
            + Self.int32(2) + Array("é".utf8)
            + Self.int32(-1)
            + Self.int32(12) + Self.int32(0) + Self.int32(0) + Self.int32(25)
            + Self.int32(20 + (4 + 1) + (4 + 0)) + Self.int32(1) + Self.int32(0) + Self.int32(25) + Self.int32(2) + Self.int32(1)
            + Self.int32(1) + Array("a".utf8) + Self.int32(0)
            + Self.int16(1) + Self.int16(0)
        #expect(bind == Self.message("B", expected))
        let rest = Array(buffer.readableBytesView.dropFirst(1 + length))
        #expect(rest == Self.message("E", [0] + Self.int32(0)) + Self.message("S", []), "Execute of every row, then Sync")
    }
}

extension WireStateMachine.Action {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
