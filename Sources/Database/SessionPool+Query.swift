import Logging
import NIOCore
import SQL
import Synchronization

/// Running a request's statement with its settings.
extension SessionPool {
    /// Runs `statement` with `binds` under `settings` and returns the first column of its first
    /// row as PostgreSQL sent it (the planner's statements return one JSON value). Cancelling the
    /// calling task, or `cancellation`, cancels the statement on the server.
    public func query(_ statement: PreparedSQL, binds: [SQLValue], settings: ConnectionSettings,
                      cancellation: QueryCancellation? = nil) async throws -> ByteBuffer? {
        guard configuration.roles.contains(settings.role) else { throw SessionPoolError.roleNotAllowed(settings.role) }
        switch configuration.scope {
        case .session: return try await sessionQuery(statement, binds: binds, settings: settings, cancellation: cancellation)
        case .transaction:
            // `BEGIN`, transaction-local settings, the statement, `COMMIT`: nothing outlives the request.
            return try await transaction(settings: settings, cancellation: cancellation) { try await $0.query(statement, binds: binds) }
        }
    }

    /// Runs `body` on one leased connection under `settings`, each statement it runs through
    /// the `SessionTransaction` committing on its own (no `BEGIN`): for statements whose number
    /// or form is known only once the connection is there (coalesced requests). Session scope only.
    public func withConnection<T: Sendable>(settings: ConnectionSettings, cancellation: QueryCancellation? = nil,
                                            _ body: (SessionTransaction) async throws -> T) async throws -> T {
        guard configuration.roles.contains(settings.role) else { throw SessionPoolError.roleNotAllowed(settings.role) }
        precondition(configuration.scope == .session, "statements on one connection without a transaction need session-scoped settings")
        let lease = try await lease(settings, cancellation: cancellation)
        var current: ConnectionSettings? = lease.matches ? settings : nil
        let session = SessionTransaction(pool: self, lease: lease, cancellation: cancellation)
        do {
            if !lease.matches {
                try await setSessionSettings(settings, on: lease, cancellation: cancellation)
                current = settings
            }
            let result = try await body(session)
            await release(lease, settings: current)
            return result
        } catch {
            await release(lease, settings: current)
            throw error
        }
    }

    /// Gives the leased connection's session `settings` (one statement, binds only).
    func setSessionSettings(_ settings: ConnectionSettings, on lease: Lease, cancellation: QueryCancellation?) async throws {
        count { $0.settingsSwitches += 1 }
        let settingsBinds = zip(ConnectionSettings.names, settings.values).flatMap { [SQLValue.text($0), .text($1)] }
        _ = try await cancellable(lease, cancellation) {
            try await lease.connection.firstValue(of: self.sessionSettingsStatement, binds: settingsBinds)
        }
    }

    /// Whether a request would be given a connection now, without waiting.
    public var hasFreeConnection: Bool {
        storage.withLock { $0.state.idleCount > 0 || $0.state.connections.count < configuration.maximumConnections }
    }

    private func sessionQuery(_ statement: PreparedSQL, binds: [SQLValue], settings: ConnectionSettings,
                              cancellation: QueryCancellation?) async throws -> ByteBuffer? {
        let lease = try await lease(settings, cancellation: cancellation)
        var current: ConnectionSettings? = lease.matches ? settings : nil
        do {
            if !lease.matches {
                try await setSessionSettings(settings, on: lease, cancellation: cancellation)
                current = settings
            }
            let result = try await cancellable(lease, cancellation) {
                try await lease.connection.firstValue(of: statement, binds: binds)
            }
            await release(lease, settings: current)
            return result
        } catch {
            await release(lease, settings: current)
            throw error
        }
    }

    /// Runs `body` on a leased connection; if the task or `cancellation` is cancelled meanwhile,
    /// asks the server to cancel the backend's statement, and waits for that request to finish
    /// before returning, so a late cancel can never reach the connection's next holder.
    func cancellable<T: Sendable>(_ lease: Lease, _ cancellation: QueryCancellation?,
                                  _ body: @Sendable () async throws -> T) async throws -> T {
        guard !lease.connection.isClosed else {
            storage.withLock { $0.breaker.recordFailure(at: .now) }
            throw SessionPoolError.connectionLost
        }
        let signal = CancelSignal(executor: executor)
        let endpoint = configuration.endpoint
        let logger = self.logger
        let (processID, secretKey, loop) = (lease.connection.processID, lease.connection.secretKey, eventLoop)
        let outcome: Result<T, any Error>
        do {
            // On the connection's loop — the pool's, where a request's task is already — the
            // statement is written in place and its answer resumes the task there. A connection
            // that closed meanwhile fails the statement at once (`WireConnectionFailure`).
            func running() async throws -> T {
                try await cancellation.whileRunning(onCancel: {
                    signal.start {
                        await CancelRequest.send(processID: processID, secretKey: secretKey, to: endpoint, on: loop, logger: logger)
                    }
                }, body)
            }
            if executor.isPreferred {
                outcome = .success(try await running())
            } else {
                outcome = .success(try await withTaskExecutorPreference(executor, operation: running))
            }
        } catch {
            outcome = .failure(error)
        }
        let wasCancelled = await signal.finish()
        switch outcome {
        case .success(let value):
            storage.withLock { if $0.breaker.hasFailures { $0.breaker.recordSuccess() } }
            return value
        case .failure(let error) where ConnectionFault.isConnectionLevel(error):
            storage.withLock { $0.breaker.recordFailure(at: .now) }
            throw error
        case .failure(let error):
            if wasCancelled, DatabaseServerError.of(error)?.sqlState == "57014" { throw CancellationError() }
            throw error
        }
    }
}

/// The cancel requests of one statement: started at most once, repeated while the statement
/// runs (a request reaching the backend before the statement does is ignored by PostgreSQL),
/// and stopped and awaited before the connection is given back.
final class CancelSignal: Sendable {
    private enum State {
        case running
        case cancelling(Task<Void, Never>)
        case finished
    }

    /// How long one cancel request has to take effect before it is sent again.
    static let repeatInterval = Duration.milliseconds(500)
    private let state = Mutex(State.running)
    /// Where the requests are made: the pool's event loop, never waiting for a thread of the
    /// cooperative pool that something else may hold.
    private let executor: any TaskExecutor

    init(executor: any TaskExecutor) {
        self.executor = executor
    }

    func start(_ operation: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard case .running = state else { return }
            state = .cancelling(Task(executorPreference: executor) {
                repeat {
                    await operation()
                    try? await Task.sleep(for: Self.repeatInterval)
                } while !Task.isCancelled
            })
        }
    }

    /// Stops further cancel requests; waits for one under way. True if one was made.
    func finish() async -> Bool {
        let pending = state.withLock { state -> Task<Void, Never>? in
            defer { state = .finished }
            if case .cancelling(let task) = state { return task }
            return nil
        }
        guard let pending else { return false }
        pending.cancel()
        await pending.value
        return true
    }
}
