import Crypto
import NIOCore
import SQL

/// One PostgreSQL connection's protocol, without I/O: startup (TLS, authentication), then one
/// statement at a time. Each event returns what the caller must do — send a message, report
/// the connection ready, complete the running statement, or close.
struct WireStateMachine {
    enum TLS: Sendable { case disable, prefer, require }

    /// A statement for the connection.
    enum Request: Sendable {
        case execute(PreparedSQL, binds: [SQLValue])
        /// Statements in one implicit transaction: all commit, or none.
        case pipeline([(statement: PreparedSQL, binds: [SQLValue])])
        case simple(String)
    }

    enum Action {
        case none
        case send(FrontendMessage)
        /// The server agreed to TLS: the caller starts it, then calls `tlsStarted()`.
        case startTLS
        /// Startup finished: the backend's process ID and cancel key.
        case connected(processID: Int32, secretKey: Int32)
        case failStartup(any Error)
        case complete(Result<ByteBuffer?, any Error>)
        /// A pipeline ended without an error: each statement's first value, in order.
        case completePipeline([ByteBuffer?])
        /// The server broke the protocol: fail what is pending and close.
        case close(any Error)
    }

    private struct Running {
        var firstValue: ByteBuffer??
        var error: DatabaseServerError?
        /// The statements this request prepares, in the order the server confirms them; each is
        /// recorded as prepared once it does.
        var preparing: [String] = []
        var confirmed = 0
        /// A pipeline's answers so far, one per statement ended; nil for one statement.
        var answers: [ByteBuffer?]?
        /// How many statements a pipeline sent.
        var statements = 0
    }

    private enum State {
        case awaitingTLSAnswer
        case authenticating(ScramSHA256?)
        case awaitingReady
        case idle
        case running(Running)
        case closed
    }

    private let username: String
    private let password: String?
    private let parameters: [(String, String)]
    private let tls: TLS
    private var state: State
    private var backendKey: (processID: Int32, secretKey: Int32)?
    /// What the server said before it closed the connection (a `FATAL` error), if anything.
    private var closingError: DatabaseServerError?
    /// The statements prepared on this connection, executed by name.
    private(set) var prepared: Set<String> = []

    init(username: String, password: String?, database: String, parameters: [(String, String)], tls: TLS) {
        self.username = username
        self.password = password
        self.parameters = [("user", username), ("database", database)] + parameters
        self.tls = tls
        self.state = tls == .disable ? .authenticating(nil) : .awaitingTLSAnswer
    }

    var awaitsTLSAnswer: Bool {
        if case .awaitingTLSAnswer = state { return true }
        return false
    }

    var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// The connection is open: ask for TLS or start up.
    func start() -> Action {
        awaitsTLSAnswer ? .send(.sslRequest) : .send(.startup(parameters: parameters))
    }

    mutating func tlsAnswer(_ answer: UInt8) -> Action {
        guard awaitsTLSAnswer else { return .close(WireProtocolError("an answer to a TLS request nobody made")) }
        switch answer {
        case UInt8(ascii: "S"):
            return .startTLS
        case UInt8(ascii: "N") where tls == .prefer:
            state = .authenticating(nil)
            return .send(.startup(parameters: parameters))
        case UInt8(ascii: "N"):
            state = .closed
            return .failStartup(AuthenticationError("the server does not support TLS; add ?sslmode=disable to the URL to connect without it"))
        default:
            state = .closed
            return .failStartup(WireProtocolError("an answer to the TLS request that is neither S nor N"))
        }
    }

    mutating func tlsStarted() -> Action {
        state = .authenticating(nil)
        return .send(.startup(parameters: parameters))
    }

    /// Runs `request`, if the connection is free for it.
    mutating func run(_ request: Request) -> Action {
        switch state {
        case .idle:
            switch request {
            case .execute(let statement, let binds):
                let parse = !prepared.contains(statement.name)
                state = .running(Running(preparing: parse ? [statement.name] : []))
                return .send(.execute(statement, binds: binds, parse: parse))
            case .pipeline(let statements):
                var preparing: [String] = []
                let messages = statements.map { statement, binds in
                    // A statement twice in one pipeline is prepared by its first occurrence.
                    let parse = !prepared.contains(statement.name) && !preparing.contains(statement.name)
                    if parse { preparing.append(statement.name) }
                    return (statement: statement, binds: binds, parse: parse)
                }
                var answers: [ByteBuffer?] = []
                answers.reserveCapacity(statements.count)
                state = .running(Running(preparing: preparing, answers: answers, statements: statements.count))
                return .send(.pipeline(messages))
            case .simple(let text):
                state = .running(Running())
                return .send(.simpleQuery(text))
            }
        case .closed:
            return .complete(.failure(WireConnectionFailure.closed(by: closingError)))
        default:
            return .complete(.failure(WireConnectionFailure("a statement was sent to a connection still busy with another")))
        }
    }

    mutating func received(_ message: BackendMessage) -> Action {
        switch (state, message) {
        case (_, .ignored), (_, .parameterStatus):
            return .none
        case (.authenticating(let scram), .authentication(let request)):
            return authenticate(request, scram)
        case (.authenticating, .error(let error)), (.awaitingReady, .error(let error)):
            state = .closed
            return .failStartup(error)
        case (.awaitingReady, .backendKeyData(let processID, let secretKey)):
            backendKey = (processID, secretKey)
            return .none
        case (.awaitingReady, .readyForQuery):
            state = .idle
            return .connected(processID: backendKey?.processID ?? 0, secretKey: backendKey?.secretKey ?? 0)
        case (.running(var running), .parseComplete):
            if running.confirmed < running.preparing.count {
                prepared.insert(running.preparing[running.confirmed])
                running.confirmed += 1
            }
            state = .running(running)
            return .none
        case (.running(var running), .commandComplete):
            guard running.answers != nil else { return .none }
            state = .idle // the state lets go of the answers, so that they grow in place
            running.answers?.append(running.firstValue ?? nil)
            running.firstValue = nil
            state = .running(running)
            return .none
        case (_, .commandComplete):
            return .none
        case (.running(var running), .dataRow(let value)):
            if running.firstValue == nil { running.firstValue = .some(value) }
            state = .running(running)
            return .none
        case (.running(var running), .error(let error)):
            if running.error == nil { running.error = error }
            state = .running(running)
            return .none
        case (.running(let running), .readyForQuery):
            state = .idle
            if let error = running.error { return .complete(.failure(error)) }
            if let answers = running.answers {
                guard answers.count == running.statements else {
                    state = .closed
                    return .close(WireProtocolError("\(answers.count) answers to a pipeline of \(running.statements) statements"))
                }
                return .completePipeline(answers)
            }
            return .complete(.success(running.firstValue ?? nil))
        case (.idle, .error(let error)), (.closed, .error(let error)):
            // A server shutting down says why before it closes the connection.
            closingError = error
            return .none
        default:
            state = .closed
            return .close(WireProtocolError("a message the protocol does not allow here (\(message))"))
        }
    }

    /// The connection closed: whatever was pending fails.
    mutating func closed(because cause: (any Error)?) -> Action {
        let previous = state
        state = .closed
        switch previous {
        case .awaitingTLSAnswer, .authenticating, .awaitingReady:
            return .failStartup(closingError ?? WireConnectionFailure.closed(by: nil, cause: cause))
        case .running(let running):
            return .complete(.failure(running.error ?? closingError ?? WireConnectionFailure.closed(by: nil, cause: cause)))
        case .idle, .closed:
            return .none
        }
    }

    private mutating func authenticate(_ request: BackendMessage.Authentication, _ scram: ScramSHA256?) -> Action {
        switch request {
        case .ok:
            state = .awaitingReady
            return .none
        case .cleartextPassword:
            guard let password else { return refuse("the server asks for a password and the database URL has none") }
            return .send(.password(password))
        case .md5Password(let salt):
            guard let password else { return refuse("the server asks for a password and the database URL has none") }
            let inner = Hex.encode(Insecure.MD5.hash(data: Array((password + username).utf8)))
            return .send(.password("md5" + Hex.encode(Insecure.MD5.hash(data: Array(inner.utf8) + salt))))
        case .sasl(let mechanisms):
            guard mechanisms.contains(ScramSHA256.mechanism) else {
                return refuse("the server offers only \(mechanisms.joined(separator: ", ")) for authentication; Strata speaks SCRAM-SHA-256")
            }
            guard let password else { return refuse("the server asks for a password and the database URL has none") }
            let client = ScramSHA256(password: password)
            state = .authenticating(client)
            return .send(.saslInitialResponse(mechanism: ScramSHA256.mechanism, data: client.clientFirstMessage))
        case .saslContinue(let data):
            guard var client = scram else { return refuse("the server continued a SCRAM exchange that never started") }
            do {
                let response = try client.clientFinalMessage(answering: data)
                state = .authenticating(client)
                return .send(.saslResponse(response))
            } catch {
                return refuse(error)
            }
        case .saslFinal(let data):
            guard let client = scram else { return refuse("the server ended a SCRAM exchange that never started") }
            do {
                try client.verify(serverFinal: data)
                return .none
            } catch {
                return refuse(error)
            }
        case .unsupported(let code):
            return refuse("the server asks for authentication method \(code) (Kerberos, GSSAPI or SSPI), which Strata does not speak")
        }
    }

    private mutating func refuse(_ reason: String) -> Action {
        refuse(AuthenticationError(reason))
    }

    private mutating func refuse(_ error: AuthenticationError) -> Action {
        state = .closed
        return .failStartup(error)
    }
}
