import Database
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQL
import Testing
import TestSupport

@Suite("Session pool against PostgreSQL")
struct SessionPoolTests {
    let logger: Logger = {
        var logger = Logger(label: "strata.pool-test")
        logger.logLevel = .critical
        return logger
    }()

    /// What the server says a statement ran with, and which request asked.
    static let probe = PreparedSQL("""
        SELECT json_build_object('request', $1::text, 'role', current_user, 'tenant', current_setting('app.tenant_id'), \
        'user', current_setting('app.user_id'), 'claims', current_setting('request.jwt.claims'))::text
        """)
    static let failing = PreparedSQL("SELECT (1 / ($1::int - $1::int))::text")
    /// Long enough to outlast any wait on a loaded machine; every test cancels it.
    static let slow = PreparedSQL("SELECT pg_sleep(120)::text || $1::text")

    func pool(_ database: TestDatabase, scope: ConnectionSettings.Scope, roles: Set<String> = ["member", "admin"]) -> SessionPool {
        // Thousands of requests queue for two connections here: no acquire timeout or queue bound in reach.
        SessionPool(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), maximumConnections: 2, scope: scope,
                                         statementTimeoutMilliseconds: 300_000, roles: roles, acquireTimeout: .seconds(600),
                                         maximumWaiting: 100_000), logger: logger)
    }

    enum Outcome: Sendable {
        case answered(request: Int, expected: String, got: String)
        case failed(request: Int, String)
        case cancelled
    }

    /// Thousands of requests from many tenants over two connections, some failing, some failing
    /// while setting their settings, some cancelled while their statement runs: every answered
    /// request ran with exactly its own role, tenant, user and claims. Also with the pool split
    /// by event loop, each request running on a loop as the server runs it.
    @Test("interleaved requests over two connections never see another request's settings",
          arguments: [ConnectionSettings.Scope.session, .transaction], [false, true])
    func noLeaks(scope: ConnectionSettings.Scope, byLoop: Bool) async throws {
        let database = try await TestCluster.shared.makeDatabase()
        // pg_monitor is a role the login role may not assume: setting it fails part-way.
        let single = pool(database, scope: scope, roles: ["member", "admin", "pg_monitor"])
        let pools = byLoop ? SessionPools(configuration: single.configuration, logger: logger) : SessionPools(single)
        if byLoop { #expect(pools.partitions.count == 2) }
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let tenants = (0..<25).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        let count = 3_000
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for request in 0..<count {
                let tenant = tenants[(request * 7) % tenants.count]
                let role = request % 37 == 0 ? "pg_monitor" : (request % 3 == 0 ? "admin" : "member")
                let settings = ConnectionSettings(role: role, tenantID: tenant, userID: "user-\(request % 11)",
                                                  claims: "{\"n\":\(request % 5)}")
                let expected = "{\"request\" : \"\(request)\", \"role\" : \"\(role)\", \"tenant\" : \"\(tenant)\", \"user\" : \"user-\(request % 11)\", \"claims\" : \"{\\\"n\\\":\(request % 5)}\"}"
                let executor = EventLoopExecutor.of(loops[request % loops.count])
                if request % 50 == 25 {
                    // Cancelled mid-statement: its task, or its cancellation source.
                    let source = request % 100 == 25 ? QueryCancellation() : nil
                    let task = Task(executorPreference: executor) {
                        try await pools.current.query(Self.slow, binds: [.text("x")], settings: settings, cancellation: source)
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(30))
                        if let source { source.cancel() } else { task.cancel() }
                        do { _ = try await task.value; return .failed(request: request, "a cancelled statement finished") } catch is CancellationError {
                            return .cancelled
                        } catch {
                            return .failed(request: request, "cancel: \(String(reflecting: error))")
                        }
                    }
                    continue
                }
                group.addTask(executorPreference: executor) {
                    let pool = pools.current
                    let statement = request % 10 == 3 ? Self.failing : Self.probe
                    do {
                        let binds: [SQLValue] = [.text(String(request))]
                        // Some run as one-statement transactions, as mutations do.
                        let bytes = request % 13 == 5
                            ? try await pool.transaction(settings: settings) { try await $0.query(statement, binds: binds) }
                            : try await pool.query(statement, binds: binds, settings: settings)
                        return .answered(request: request, expected: expected, got: bytes.map { String(buffer: $0) } ?? "null")
                    } catch {
                        // The error is kept, so a failure no one expected says what it was.
                        return .failed(request: request, "\(statement == Self.failing ? "expected" : "unexpected") \(role): \(String(reflecting: error))")
                    }
                }
            }
            var outcomes: [Outcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var answered = 0, leaks: [String] = [], unexpected: [String] = [], cancelled = 0
        for outcome in outcomes {
            switch outcome {
            case .answered(let request, let expected, let got):
                answered += 1
                if got != expected { leaks.append("request \(request): expected \(expected), got \(got)") }
            case .failed(let request, let reason):
                let allowed = reason.hasPrefix("expected") || reason.hasPrefix("unexpected pg_monitor:")
                if !allowed { unexpected.append("request \(request): \(reason)") }
            case .cancelled:
                cancelled += 1
            }
        }
        #expect(leaks.isEmpty, "\(leaks.prefix(3))")
        #expect(unexpected.isEmpty, "\(unexpected.prefix(3))")
        #expect(answered > 2_400)
        #expect(cancelled == count / 50)
        #expect(pools.statistics.open <= 2)
        // After all that, a plain request still works and sees its own settings.
        let settings = ConnectionSettings(role: "member", tenantID: tenants[1], userID: "u", claims: "{}")
        let last = try await pools.current.query(Self.probe, binds: [.text("last")], settings: settings).map { String(buffer: $0) }
        #expect(last?.contains(tenants[1]) == true)
        await pools.shutdown()
        await single.shutdown()
    }

    @Test("a transaction's statements share its settings and see each other's writes; a failure rolls back every one",
          arguments: [ConnectionSettings.Scope.session, .transaction])
    func transactions(scope: ConnectionSettings.Scope) async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let pool = pool(database, scope: scope)
        let acme = "00000000-0000-4000-8000-000000000001"
        let settings = ConnectionSettings(role: "admin", tenantID: acme, userID: "u", claims: "{}")
        // Row-level security only lets the insert through under the transaction's tenant.
        let insert = PreparedSQL("""
            INSERT INTO public.comments (tenant_id, task_id, author_id, body)
            VALUES ($1::uuid, '12000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', $2)
            RETURNING current_setting('app.tenant_id')
            """)
        let count = PreparedSQL("SELECT count(*)::text FROM public.comments WHERE body = $1")
        let committed = try await pool.transaction(settings: settings) { transaction in
            let tenant = try await transaction.query(insert, binds: [.text(acme), .text("kept")]).map { String(buffer: $0) }
            let seen = try await transaction.query(count, binds: [.text("kept")]).map { String(buffer: $0) }
            return [tenant, seen]
        }
        #expect(committed == [acme, "1"])
        await #expect {
            try await pool.transaction(settings: settings) { transaction in
                _ = try await transaction.query(insert, binds: [.text(acme), .text("undone")])
                _ = try await transaction.query(Self.failing, binds: [.text("1")])
            }
        } throws: { error in
            (error as? DatabaseServerError)?.sqlState == "22012"
        }
        for (body, expected) in [("kept", "1"), ("undone", "0")] {
            let found = try await pool.query(count, binds: [.text(body)], settings: settings).map { String(buffer: $0) }
            #expect(found == expected, "\(body)")
        }
        // The connections are clean for the next request, whatever its settings.
        let other = ConnectionSettings(role: "member", tenantID: "00000000-0000-4000-8000-000000000002", userID: "v", claims: "{}")
        let probe = try await pool.query(Self.probe, binds: [.text("after")], settings: other).map { String(buffer: $0) }
        #expect(probe?.contains("00000000-0000-4000-8000-000000000002") == true)
        #expect(probe?.contains("\"member\"") == true)
        await pool.shutdown()
    }

    @Test("a cancellation source ends a wait for a connection, and one cancelled before it starts never runs")
    func cancelledWhileWaiting() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let pool = pool(database, scope: .session)
        let settings = ConnectionSettings(role: "member", tenantID: "t", userID: "u", claims: "{}")
        let busy = (0..<2).map { _ in Task { try await pool.query(Self.slow, binds: [.text("x")], settings: settings) } }
        for _ in 0..<6_000 where pool.statistics.idle > 0 || pool.statistics.open < 2 { try await Task.sleep(for: .milliseconds(10)) }
        try #require(pool.statistics.idle == 0 && pool.statistics.open == 2, "both connections run the slow statement")
        let source = QueryCancellation()
        let waiting = Task { try await pool.query(Self.probe, binds: [.text("w")], settings: settings, cancellation: source) }
        for _ in 0..<6_000 where pool.statistics.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try #require(pool.statistics.waiting == 1, "the third request waits for one of the two busy connections")
        source.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        // Ended by the cancellation, not by a connection coming free: both still run their sleep.
        #expect(pool.statistics.idle == 0)
        #expect(pool.statistics.waiting == 0)
        let early = QueryCancellation()
        early.cancel()
        await #expect(throws: CancellationError.self) {
            _ = try await pool.query(Self.probe, binds: [.text("e")], settings: settings, cancellation: early)
        }
        for task in busy { task.cancel() }
        for task in busy { _ = try? await task.value }
        await pool.shutdown()
    }

    @Test("a role outside the project's list never reaches the database")
    func unknownRole() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let pool = pool(database, scope: .session)
        await #expect(throws: SessionPoolError.roleNotAllowed("postgres")) {
            _ = try await pool.query(Self.probe, binds: [.text("1")], settings: ConnectionSettings(role: "postgres", tenantID: nil, userID: nil, claims: "{}"))
        }
        #expect(pool.statistics.open == 0)
        await pool.shutdown()
    }

    @Test("a connection holding more prepared statements than the limit is replaced, and its plans go with it")
    func preparedStatementLimit() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let pool = SessionPool(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), maximumConnections: 1,
                                                    roles: ["member"], preparedStatementLimit: 3), logger: logger)
        let settings = ConnectionSettings(role: "member", tenantID: "t", userID: "u", claims: "{}")
        var backends: [String] = []
        for number in 1...4 {
            // The settings statement is prepared too: each of these is the session's second, third…
            let statement = PreparedSQL("SELECT pg_backend_pid()::text || $1::text || '\(number)'")
            let answer = try await pool.query(statement, binds: [.text(":")], settings: settings).map { String(buffer: $0) }
            backends.append(String(answer?.split(separator: ":").first ?? ""))
        }
        // Statements 1 and 2 join the settings statement on the first connection; the third makes
        // four, so the connection is closed on release and the fourth runs on a new one.
        #expect(backends[0] == backends[1] && backends[1] == backends[2])
        #expect(backends[3] != backends[0])
        #expect(pool.counts.opened == 2)
        await pool.shutdown()
    }

    @Test("a running statement is cancelled even when its login role may open no further connection")
    func cancelWithoutASpareConnection() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let login = "one_connection_\(UUID().uuidString.prefix(8).lowercased())"
        try await database.execute(["CREATE ROLE \(login) LOGIN CONNECTION LIMIT 1", "GRANT member TO \(login)"])
        let pool = SessionPool(configuration: .init(endpoint: database.endpoint(user: login), maximumConnections: 1,
                                                    statementTimeoutMilliseconds: 300_000, roles: ["member"]), logger: logger)
        let settings = ConnectionSettings(role: "member", tenantID: "t", userID: "u", claims: "{}")
        let source = QueryCancellation()
        let running = Task { try await pool.query(Self.slow, binds: [.text("x")], settings: settings, cancellation: source) }
        // Until the statement runs, its backend is the role's one connection.
        while try await database.rows("SELECT 1 FROM pg_stat_activity WHERE usename = \(login) AND wait_event = 'PgSleep'").isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        source.cancel()
        await #expect(throws: CancellationError.self) { _ = try await running.value }
        // The connection is whole and serves the next request.
        let next = try await pool.query(Self.probe, binds: [.text("after")], settings: settings).map { String(buffer: $0) }
        #expect(next?.contains("\"request\" : \"after\"") == true)
        await pool.shutdown()
    }
}
