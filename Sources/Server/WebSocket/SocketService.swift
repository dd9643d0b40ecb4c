import Database
import Foundation
import GraphQLLanguage
import NIOCore
import Planner

/// The numbers of GraphQL over WebSocket (`server.websocket_*` in `strata.yaml`).
public struct SocketSettings: Sendable {
    /// How long a new connection has to send `connection_init` (then 4408).
    public var initTimeout: Duration
    /// How often the server pings (graphql-transport-ws) or sends `ka` (graphql-ws); two pings
    /// without a pong close the connection with 4408.
    public var pingInterval: Duration
    /// The largest message a client may send, in bytes (then close code 1009).
    public var maxMessageBytes: Int

    public init(initTimeout: Duration = .seconds(3), pingInterval: Duration = .seconds(30), maxMessageBytes: Int = 1 << 20) {
        self.initTimeout = initTimeout
        self.pingInterval = pingInterval
        self.maxMessageBytes = maxMessageBytes
    }
}

/// What every GraphQL WebSocket connection shares: the executor and authenticator of HTTP
/// requests, and the settings.
public struct SocketService: Sendable {
    let executor: GraphQLExecutor
    let authenticator: TokenAuthenticator
    let settings: SocketSettings

    /// Runs one operation as a POST would run it, and says what the protocol should answer. A
    /// large one (`large`: its message passed `GraphQLEndpoint.loopBodyLimit`) is planned on
    /// Swift's shared pool, as a large POST is, so it does not hold up the loop.
    func run(id: String, _ request: GraphQLRequest, session: Session, large: Bool,
             cancellation: QueryCancellation) async -> SocketMachine.Input {
        let executor = self.executor
        let preparation = large
            ? await withTaskExecutorPreference(globalConcurrentExecutor) { executor.prepare(request, session: session) }
            : executor.prepare(request, session: session)
        let prepared: GraphQLExecutor.Prepared
        switch preparation {
        case .refused(let errors): return .refused(id: id, errors: errors.errors)
        case .readOnlyRequest: return .refused(id: id, errors: [GraphQLError("This operation cannot run here.", code: ErrorCode.badRequest)])
        case .ready(let ready): prepared = ready
        }
        switch await executor.run(prepared, cancellation: cancellation) {
        case .data(let data):
            return .executed(id: id, result: "{\"data\":" + String(buffer: data) + "}")
        case .requestErrors(let errors):
            return .refused(id: id, errors: errors)
        case .executionErrors(let errors):
            return .executed(id: id, result: "{\"errors\":[" + errors.map(\.json).joined(separator: ",") + "],\"data\":null}")
        }
    }

    /// The session of `authorization`, and when it ends (nil: it does not).
    func authenticate(_ authorization: String?) async -> Result<(Session, ContinuousClock.Instant?), RequestProblem> {
        do {
            let (session, expiry) = try await authenticator.verify(authorization: authorization)
            let ends = expiry.map { ContinuousClock.now + .milliseconds(Int64(max(0, $0 - Date().timeIntervalSince1970) * 1_000)) }
            return .success((session, ends))
        } catch {
            return .failure(error)
        }
    }
}
