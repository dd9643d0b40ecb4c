import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import Planner
import SchemaModel
@testable import Server
import Testing
import Logging
import TestSupport

@Suite("Rate limits")
struct RateLimitTests {
    static func limits(_ edit: (inout RoleRateLimits) -> Void) -> [String: RoleRateLimits] {
        var limit = RoleRateLimits(role: "member", position: SourcePosition(file: "schema/strata.yaml", line: 1, column: 1))
        edit(&limit)
        return ["member": limit]
    }

    static let alan = Session(role: "member", tenantID: "acme", userID: "alan")
    static let ada = Session(role: "member", tenantID: "acme", userID: "ada")

    @Test("a user's bucket: the burst passes, the next waits for its refill, and another user of the tenant is not held back")
    func perUser() {
        let limiter = RateLimiter(limits: Self.limits { $0.perUser = RateLimit(perSecond: 2, burst: 3) })
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.admit(Self.alan, address: nil, cost: 1, at: start) == .allowed) }
        #expect(limiter.admit(Self.alan, address: nil, cost: 1, at: start) == .overRate(scope: .user, retryAfter: .milliseconds(500)))
        #expect(limiter.admit(Self.ada, address: nil, cost: 1, at: start) == .allowed)
        #expect(limiter.admit(Self.alan, address: nil, cost: 1, at: start + .milliseconds(500)) == .allowed, "half a second refills one")
        #expect(limiter.admit(Self.alan, address: nil, cost: 1, at: start + .milliseconds(500)) != .allowed)
    }

    @Test("a refusal takes nothing from the other buckets; the tenant's bucket holds back all its users together")
    func tenantAndAddress() {
        let limiter = RateLimiter(limits: Self.limits {
            $0.perTenant = RateLimit(perSecond: 1, burst: 4)
            $0.perIP = RateLimit(perSecond: 1, burst: 2)
        })
        let now = ContinuousClock.now
        #expect(limiter.admit(Self.alan, address: "10.0.0.1", cost: 1, at: now) == .allowed)
        #expect(limiter.admit(Self.alan, address: "10.0.0.1", cost: 1, at: now) == .allowed)
        #expect(limiter.admit(Self.alan, address: "10.0.0.1", cost: 1, at: now) == .overRate(scope: .ip, retryAfter: .seconds(1)))
        // The address's refusal took nothing from the tenant: two more from other addresses pass.
        #expect(limiter.admit(Self.ada, address: "10.0.0.2", cost: 1, at: now) == .allowed)
        #expect(limiter.admit(Self.ada, address: "10.0.0.3", cost: 1, at: now) == .allowed)
        #expect(limiter.admit(Self.ada, address: "10.0.0.4", cost: 1, at: now) == .overRate(scope: .tenant, retryAfter: .seconds(1)))
        #expect(limiter.admit(Session(role: "admin", tenantID: "acme"), address: "10.0.0.1", cost: 1, at: now) == .allowed, "admin is not limited")
    }

    @Test("cost: a large operation takes as many tokens as small ones would; one over max_cost or over a whole bucket is refused for good")
    func cost() {
        let limiter = RateLimiter(limits: Self.limits {
            $0.perUser = RateLimit(perSecond: 10, burst: 10)
            $0.maxCost = 5_000
            $0.costPerRequest = 100
        })
        let now = ContinuousClock.now
        #expect(limiter.admit(Self.alan, address: nil, cost: 800, at: now) == .allowed, "eight requests' worth")
        #expect(limiter.admit(Self.alan, address: nil, cost: 300, at: now) == .overRate(scope: .user, retryAfter: .milliseconds(100)))
        #expect(limiter.admit(Self.alan, address: nil, cost: 200, at: now) == .allowed)
        #expect(limiter.admit(Self.ada, address: nil, cost: 6_000, at: now) == .tooCostly(cost: 6_000, limit: 5_000))
        #expect(limiter.admit(Self.ada, address: nil, cost: 1_100, at: now) == .tooCostly(cost: 1_100, limit: 1_000), "more than the bucket ever holds")
    }

    @Test("many clients: full buckets are forgotten, so memory follows the clients of the last moments")
    func forgetsFullBuckets() {
        let limiter = RateLimiter(limits: Self.limits { $0.perIP = RateLimit(perSecond: 100, burst: 100) })
        let start = ContinuousClock.now
        for index in 0..<(RateLimiter.sweepAbove + 10) {
            _ = limiter.admit(Self.alan, address: "a\(index)", cost: 1, at: start + .microseconds(Int64(index)))
        }
        #expect(limiter.admit(Self.alan, address: "late", cost: 1, at: start + .seconds(2)) == .allowed)
        // Past 50,000 buckets, the sweep kept only those not full again: the last 10 ms of clients
        // (one token refills in 10 ms at 100/s), 10,000 of them here, one a microsecond.
        #expect(limiter.bucketCount <= 10_100, "\(limiter.bucketCount) buckets kept")
    }

    @Test("over HTTP: 429 with Retry-After and code rate-limited before any database work; a too costly query is refused; over WebSocket an operation gets an error")
    func overHTTPAndWebSocket() async throws {
        // The buckets' clock stands still: however slowly a loaded machine runs the requests,
        // no token comes back in between.
        let frozen = ContinuousClock.now
        let test = try await GraphQLTestServer.start(rateLimits: Self.limits {
            $0.perUser = RateLimit(perSecond: 1, burst: 2)
            $0.maxCost = 40
        }, rateClock: { frozen })
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            var headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json"]
            headers[.authorization] = "Bearer \(token)"
            func post(_ body: String) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                    (response.status, String(buffer: response.body), response.headers[.retryAfter])
                }
            }
            let deep = #"{"query":"{ tasks { title project { name tasks { title comments { body author_id task { title status project { name } } } } } } }"}"#
            let (tooCostly, costBody, _) = try await post(deep)
            #expect(tooCostly == .badRequest && costBody.contains("cost-limit-exceeded") && costBody.contains("estimated cost"), "\(costBody)")
            let (first, _, _) = try await post(#"{"query":"{ tasks { title } }"}"#)
            #expect(first == .ok)
            let (second, _, _) = try await post(#"{"query":"{ tasks { title } }"}"#)
            #expect(second == .ok, "the burst is two")
            let (refused, body, retryAfter) = try await post(#"{"query":"{ tasks { title } }"}"#)
            #expect(refused == .tooManyRequests, "\(body)")
            #expect(body.contains(#""code":"rate-limited""#) && retryAfter == "1", "\(body) \(String(describing: retryAfter))")
            let (invalid, invalidBody, _) = try await post(#"{"query":"{ tasks { nonsense } }"}"#)
            #expect(invalid == .tooManyRequests, "a refused document counts too: \(invalidBody)")

            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: token, payload: #"{"query":"{ tasks { title } }"}"#)
            let texts = await SocketMessageRateTests.nextTexts(socket, count: 1)
            #expect(texts.first?.contains(#""type":"error""#) == true && texts.first?.contains("rate-limited") == true, "\(texts)")
        }
    }
}

@Suite("Rate limits shared across processes")
struct SharedRateLimitTests {
    @Test("two processes' buckets of one tenant: once their shared count reaches the rate, both refuse until the next second")
    func twoProcesses() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let limits = RateLimitTests.limits { $0.perTenant = RateLimit(perSecond: 10, burst: 10) }
        let second = RateLimiter.currentSecond()
        let first = RateLimiter(limits: limits, second: { second })
        let other = RateLimiter(limits: limits, second: { second })
        let logger = Logger(label: "strata.test")
        let sharedFirst = SharedRateLimits(limiter: first, endpoint: database.endpoint(user: "strata_authenticator"), logger: logger)
        let sharedOther = SharedRateLimits(limiter: other, endpoint: database.endpoint(user: "strata_authenticator"), logger: logger)
        for _ in 0..<7 { #expect(first.admit(RateLimitTests.alan, address: nil, cost: 1) == .allowed) }
        for _ in 0..<3 { #expect(other.admit(RateLimitTests.ada, address: nil, cost: 1) == .allowed) }
        #expect(other.admit(RateLimitTests.ada, address: nil, cost: 1) == .allowed, "alone, each process would allow its burst")
        do {
            try await database.endpoint(user: "strata_authenticator").withConnection(logger: logger) { connection in
                try await sharedFirst.tell(first.takePending(), on: connection)
                try await sharedOther.tell(other.takePending(), on: connection)
            }
        } catch {
            Issue.record("\(String(reflecting: error))")
            throw error
        }
        // 7 + 4 ≥ 10: the second process learnt it at once, the first at its next look.
        guard case .overRate(.tenant, _) = other.admit(RateLimitTests.ada, address: nil, cost: 1) else {
            Issue.record("the other process still admits")
            return
        }
        #expect(first.admit(RateLimitTests.alan, address: nil, cost: 1) == .allowed, "it has not looked since")
        try await database.endpoint(user: "strata_authenticator").withConnection(logger: logger) { connection in
            try await sharedFirst.tell(first.takePending(), on: connection)
        }
        guard case .overRate(.tenant, _) = first.admit(RateLimitTests.alan, address: nil, cost: 1) else {
            Issue.record("the first process still admits")
            return
        }
        let rows = try await database.rows("SELECT used::text FROM strata.rate_usage")
        #expect(rows == [["12"]], "one row for the tenant's bucket in that second, counting both processes")
    }
}
