import Database
import Foundation
import Logging
import SQL
import Testing
import TestSupport

/// A pool whose connections are all busy refuses late requests instead of queueing them forever.
@Suite("Pool exhaustion")
struct PoolExhaustionTests {
    static let slow = PreparedSQL("SELECT pg_sleep(15)::text || $1::text")
    static let quick = PreparedSQL("SELECT $1::text")
    let settings = ConnectionSettings(role: "member", tenantID: DemoTenants.acme, userID: "u", claims: "{}")

    @Test("a request waits at most the acquire timeout, then gets poolExhausted; past the most waiters it is refused at once")
    func acquireTimeoutAndQueueBound() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        var logger = Logger(label: "strata.pool-test")
        logger.logLevel = .critical
        let pool = SessionPool(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), maximumConnections: 1,
                                                    roles: ["member"], acquireTimeout: .seconds(3), maximumWaiting: 1),
                               logger: logger)
        let settings = self.settings
        let busy = Task { try await pool.query(Self.slow, binds: [.text("x")], settings: settings) }
        try await Task.sleep(for: .milliseconds(300))
        // One waiter fits in the queue and times out; a second is refused without waiting.
        // The bounds are wide: a refusal answers long before the 3 s timeout, and the waiter
        // gives up long before the holder's 15 s statement ends.
        let started = ContinuousClock.now
        let waiting = Task { _ = try await pool.query(Self.quick, binds: [.text("w")], settings: settings) }
        try await Task.sleep(for: .milliseconds(100))
        // Timed from the refused call itself: on a loaded machine the sleep above can take
        // seconds, which said nothing about how soon the refusal came.
        let asked = ContinuousClock.now
        await #expect(throws: SessionPoolError.poolExhausted) {
            _ = try await pool.query(Self.quick, binds: [.text("r")], settings: settings)
        }
        #expect(ContinuousClock.now - asked < .milliseconds(2_500), "refused, not timed out")
        await #expect(throws: SessionPoolError.poolExhausted) { try await waiting.value }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(2_900) && waited < .seconds(12), "the acquire timeout ended the wait")
        busy.cancel()
        _ = try? await busy.value
        let after = try await pool.query(Self.quick, binds: [.text("after")], settings: settings)
        #expect(after.map { String(buffer: $0) } == "after")
        await pool.shutdown()
    }
}
