import Foundation
import GraphQLTypeSystem
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport
@testable import Server

/// Many clients of two tenants at once on a pool of one connection per thread: requests wait,
/// are coalesced, and each still gets exactly its own tenant's answer — or its own error.
@Suite("Coalescing over HTTP")
struct CoalescingOverHTTPTests {
    static let query = "query($n: Int!) { tasks(order_by: {title: asc}, limit: $n) { title project { name } } }"
    static let byPk = "query($id: uuid!) { tasks_by_pk(id: $id) { title } }"

    static func body(_ query: String, _ variables: JSONValue) -> ByteBuffer {
        ByteBuffer(string: JSONValue.object([("query", .string(query)), ("variables", variables)]).serialized)
    }

    static func post(_ client: TestClient, token: String, _ body: ByteBuffer) async throws -> String {
        let headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json",
                                   .authorization: "Bearer \(token)", .connection: "keep-alive"]
        let response = try await client.execute(TestClient.Request("/graphql", method: .post, authority: "localhost", headers: headers, body: body))
        return String(buffer: response.body ?? ByteBuffer())
    }

    @Test("forty clients of two tenants: every answer is its own tenant's, a bad variable only its sender's error")
    func tenantsApart() async throws {
        // Forty clients on two connections, on a test machine running every other suite too:
        // waits may be long, and a refusal is not what this test is about.
        let test = try await GraphQLTestServer.start(acquireTimeout: .seconds(60))
        let now = Int(Date().timeIntervalSince1970)
        let acme = try await GraphQLTestServer.memberToken()
        let globex = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string(DemoTenants.globex)),
                                                        ("sub", .string("20000000-0000-4000-8000-000000000002")),
                                                        ("exp", .number(String(now + 600)))])
        try await test.serving { client in
            let port = try #require(client.port)
            // Each tenant's answer for each limit, one request at a time.
            var expected: [String: String] = [:]
            let single = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60)))
            single.connect()
            for (name, token) in [("acme", acme), ("globex", globex)] {
                for limit in 1...3 {
                    expected["\(name) \(limit)"] = try await Self.post(single, token: token, Self.body(Self.query, .object([("n", .number("\(limit)"))])))
                }
            }
            try await single.shutdown()
            #expect(expected["acme 3"] != expected["globex 3"])
            #expect(expected.values.allSatisfy { $0.contains("\"title\"") })

            let answers = expected
            let before = test.pool.counts
            let mismatches = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<40 {
                    group.addTask {
                        let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60)))
                        client.connect()
                        var wrong: [String] = []
                        let (name, token) = worker % 2 == 0 ? ("acme", acme) : ("globex", globex)
                        for round in 0..<8 {
                            if (worker + round) % 7 == 0 {
                                let answer = try await Self.post(client, token: token, Self.body(Self.byPk, .object([("id", .string("nope-\(worker)"))])))
                                if !answer.contains("data-exception") { wrong.append("bad variable of \(name): \(answer)") }
                            } else {
                                let limit = (worker + round) % 3 + 1
                                let answer = try await Self.post(client, token: token, Self.body(Self.query, .object([("n", .number("\(limit)"))])))
                                if answer != answers["\(name) \(limit)"] { wrong.append("\(name) \(limit): \(answer)") }
                            }
                        }
                        try await client.shutdown()
                        return wrong
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(mismatches.count == 0, "\(mismatches.prefix(5))")
            let after = test.pool.counts
            #expect(after.batches > before.batches, "forty clients on two connections wait, and are coalesced")
            #expect(after.exhausted == before.exhausted)
        }
    }
}
