import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Handing connections to requests and taking them back.
extension SessionPool {
    /// What a waiting request is given: a connection, or the right to open one.
    enum Grant: Sendable {
        case lease(Lease)
        case open(id: Int)
    }

    /// A connection for a request with `settings`, waiting if every connection is busy — at
    /// most `acquireTimeout`, and only while fewer than `maximumWaiting` requests wait. A cancel
    /// (of the task or of `cancellation`) ends the wait with `CancellationError`. While the
    /// circuit breaker is open the request is refused at once. An idle connection found broken
    /// (the server restarted) is dropped and another taken.
    func lease(_ settings: ConnectionSettings, cancellation: QueryCancellation?) async throws -> Lease {
        while true {
            try Task.checkCancellation()
            if cancellation.isCancelled { throw CancellationError() }
            let permit = storage.withLock { $0.breaker.permit(at: .now) }
            if case .refuse(let retryAfter) = permit {
                count { $0.breakerRefusals += 1 }
                throw SessionPoolError.databaseUnavailable(retryAfter: retryAfter)
            }
            switch try await grant(settings, cancellation: cancellation) {
            case .lease(let lease):
                guard lease.connection.isClosed else { return lease }
                logger.info("dropping a pooled connection the server closed", metadata: ["connection": "\(lease.id)"])
                await discard(lease)
            case .open(let id):
                return try await open(id: id)
            }
        }
    }

    private enum LeaseOutcome {
        case grant(Grant)
        case wait
        case failure(SessionPoolError)
    }

    /// What the state's answer to a lease means for the request. Called under the lock.
    private static func outcome(of request: Int, _ settings: ConnectionSettings, waiter: Waiter?,
                                in storage: inout Storage) -> LeaseOutcome {
        guard !storage.isShutDown else { return .failure(.shutDown) }
        switch storage.state.lease(requestID: request, settings: settings, waiter: waiter) {
        case .use(let id, let matches):
            // The state hands out only ids it holds in `live` (set when each opened).
            let live = storage.live[id]!
            return .grant(.lease(Lease(id: id, connection: live.connection, matches: matches)))
        case .open(let id):
            return .grant(.open(id: id))
        case .wait:
            return .wait
        case .refuse:
            storage.counts.exhausted += 1
            return .failure(.poolExhausted)
        }
    }

    private func grant(_ settings: ConnectionSettings, cancellation: QueryCancellation?) async throws -> Grant {
        // A connection free now is taken without suspending; only a request that must wait
        // pays for a continuation (and its timer).
        let (requestID, first) = storage.withLock { storage in
            storage.nextRequestID += 1
            return (storage.nextRequestID, Self.outcome(of: storage.nextRequestID, settings, waiter: nil, in: &storage))
        }
        switch first {
        case .grant(let grant): return grant
        case .failure(let error): throw error
        case .wait: break
        }
        let endWait: @Sendable (any Error) -> Void = { [self] error in
            if let waiter = storage.withLock({ $0.state.cancel(requestID: requestID) }) {
                waiter.resume(throwing: error)
            }
        }
        let acquireTimeout = configuration.acquireTimeout
        return try await cancellation.whileRunning(onCancel: { endWait(CancellationError()) }) {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                // Only a request that waits pays for a timer, set before it joins the queue so
                // that whoever ends the wait cancels it.
                let timeout = eventLoop.scheduleTask(in: TimeAmount(acquireTimeout)) {
                    if let waiter = self.storage.withLock({ storage -> Waiter? in
                        let waiter = storage.state.cancel(requestID: requestID)
                        if waiter != nil { storage.counts.exhausted += 1 }
                        return waiter
                    }) {
                        waiter.resume(throwing: SessionPoolError.poolExhausted)
                    }
                }
                let waiter = Waiter(continuation: continuation, timeout: timeout)
                switch storage.withLock({ Self.outcome(of: requestID, settings, waiter: waiter, in: &$0) }) {
                case .grant(let grant): waiter.resume(returning: grant)
                case .failure(let error): waiter.resume(throwing: error)
                case .wait:
                    // Cancelled before the cancel handler could find this waiter in the queue.
                    if Task.isCancelled || cancellation.isCancelled { endWait(CancellationError()) }
                }
            }
        }
    }

    /// Closes a broken connection and gives its place back.
    private func discard(_ lease: Lease) async {
        await lease.connection.close()
        forget(id: lease.id)
    }

    /// Opens connection `id`: UTC timestamps, the statement timeout, a name in `pg_stat_activity`.
    private func open(id: Int) async throws -> Lease {
        let parameters = [
            ("TimeZone", "UTC"),
            ("statement_timeout", String(configuration.statementTimeoutMilliseconds)),
            ("application_name", "strata"),
        ] + (configuration.planCacheMode.map { [("plan_cache_mode", $0)] } ?? [])
        do {
            let connection = try await WireConnection.connect(
                to: configuration.endpoint, on: eventLoop, parameters: parameters,
                timeout: .milliseconds(min(configuration.statementTimeoutMilliseconds, 10_000)))
            storage.withLock { storage in
                storage.breaker.recordSuccess()
                storage.counts.opened += 1
                storage.live[id] = Live(connection: connection)
            }
            return Lease(id: id, connection: connection, matches: false)
        } catch {
            storage.withLock { $0.breaker.recordFailure(at: .now) }
            forget(id: id)
            throw error
        }
    }

    /// Gives the connection back. `settings` is what its session holds now (nil if unknown);
    /// a broken connection, or one holding too many prepared statements, is closed instead.
    func release(_ lease: Lease, settings: ConnectionSettings?) async {
        let retire = storage.withLock { $0.isShutDown } || lease.connection.isClosed
            || lease.connection.preparedStatements > configuration.preparedStatementLimit
        if retire {
            await lease.connection.close()
            forget(id: lease.id)
            return
        }
        let next = storage.withLock { storage -> (Waiter, Lease)? in
            switch storage.state.release(id: lease.id, settings: settings) {
            case .idle:
                return nil
            case .resume(let waiter, let id, let matches):
                // `id` is the connection being released, which is in `live` until forgotten.
                let live = storage.live[id]!
                return (waiter, Lease(id: id, connection: live.connection, matches: matches))
            }
        }
        if let (waiter, lease) = next { waiter.resume(returning: .lease(lease)) }
    }

    /// Connection `id` is gone; a waiter, if any, may open its replacement.
    private func forget(id: Int) {
        let next = storage.withLock { storage -> (Waiter, Int)? in
            storage.live[id] = nil
            return storage.state.remove(id: id)
        }
        if let (waiter, newID) = next { waiter.resume(returning: .open(id: newID)) }
    }
}
