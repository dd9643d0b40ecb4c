import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import NIOPosix
import Testing

/// Requests that once stopped the whole process, sent over a real socket: each now gets an
/// answer, and the server answers the next request as usual.
@Suite("Queries of death")
struct QueriesOfDeathTests {
    func post(_ client: LiveClient, _ body: String, token: String) async throws -> (HTTPResponse.Status, String) {
        let headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json",
                                   .authorization: "Bearer \(token)"]
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Posts a large request with a patient client: building and planning such a request in a
    /// debug build on a loaded test machine can take longer than the test client's usual 20 s.
    func postLarge(port: Int, _ body: String, token: String) async throws -> (HTTPResponse.Status, String) {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(240)),
                                eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
        client.connect()
        defer { Task { try? await client.shutdown() } }
        let headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json",
                                   .authorization: "Bearer \(token)"]
        let response = try await client.execute(.init("/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)))
        return (response.status, response.body.map { String(buffer: $0) } ?? "")
    }

    func stillServing(_ client: LiveClient, token: String) async throws {
        let (status, body) = try await post(client, #"{"query":"{ projects { name } }"}"#, token: token)
        #expect(status == .ok)
        #expect(body.contains("Warehouse robots"))
    }

    @Test("a fragment spread under repeated fields, holding conflicting repeated sub-fields, is a validation error")
    func overlappingFragments() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let query = "{ tasks { ...F } tasks { ...F } } fragment F on tasks { project { owner: id } project { owner: name } project { tasks_title: name } }"
            let (status, body) = try await post(client, #"{"query":"\#(query)"}"#, token: token)
            #expect(status == .badRequest)
            #expect(body.contains(#"Fields \"project\" conflict because subfields \"owner\" conflict"#), "\(body)")
            try await stillServing(client, token: token)
        }
        await test.pool.shutdown()
    }

    /// Found by fuzzing: a mangled document whose fragment spreads itself through fields'
    /// sub-selections sent the overlap search around the cycle until the stack ran out.
    static let selfSpreadingFragments = #"""
    query {
      tasks(order_by: {title: asc}, limit: 2) { ...TaskCard project { ...ProjectName } }
    }
    
    fragment TaskCard on tasks { id title ...Money }
    fragment Money on tasks { rewa: member
    # user: 10000000-0000-4000-8000-000000000002
    query {
      tasks(order_by: {title: asc}, limit: 2) { ...TaskCard project { ...ProjectName } }
    }
    
    fragmele: member
    # user: 10000000-0000-4000-8000-000000000002
    query {
      tasks(order_by: {title: asc}, limit: 2) { ...TaskCard project { ...ProjectName } }
    }
    
    fragment TaskCard on tasks { id title ...Money }
    fragment Money on tasks { rewa: member
    # user: 10000000-0000-4000-8000-000000000002
    query {
      tasks(order_by: {title: asc}, limit: 2) { ...TaskCard project { ...ProjectName } }
    }
    
    fragment TaskCard on tasks { id title ...Money }
    fragment Money on tasrd }
    fragment ProjectName ont TaskCard on tasks { id title ...Money }
    fragment Money on tasrd }
    fragment ProjectName on projects { name }
    """#

    @Test("a document whose fragments spread themselves through sub-selections is a validation error")
    func selfSpreadingFragments() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let body = #"{"query":"# + JSONText.quoted(Self.selfSpreadingFragments) + "}"
            let (status, answer) = try await post(client, body, token: token)
            #expect(status == .badRequest)
            #expect(answer.contains("within itself"), "\(answer.prefix(300))")
            try await stillServing(client, token: token)
        }
        await test.pool.shutdown()
    }

    @Test("70,000 strings in an _in inside a filter variable are one array parameter and answer normally")
    func longListInVariable() async throws {
        let test = try await GraphQLTestServer.start(maximumBodySize: 4 << 20)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let titles = (0..<70_000).map { "\"t\($0)\"" }.joined(separator: ",") + #","Write the safety checklist""#
            let body = #"{"query":"query($w: tasks_bool_exp) { tasks(where: $w) { title } }","variables":{"w":{"title":{"_in":["# + titles + "]}}}}"
            let (status, answer) = try await postLarge(port: try #require(client.port), body, token: token)
            #expect(status == .ok)
            #expect(answer == #"{"data":{"tasks" : [{"title" : "Write the safety checklist"}]}}"#)
            try await stillServing(client, token: token)
        }
        await test.pool.shutdown()
    }

    @Test("a statement that would carry more than 65,535 parameters is refused with a clear error, before it is sent")
    func tooManyParameters() async throws {
        let test = try await GraphQLTestServer.start(maximumBodySize: 8 << 20)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            // Rows of two layouts, so they cannot travel as one array per column.
            let rows = (0..<34_000).map { index in
                index % 2 == 0 ? #"{"task_id":"12000000-0000-4000-8000-000000000001","body":"b\#(index)"}"#
                    : #"{"body":"b\#(index)","task_id":"12000000-0000-4000-8000-000000000001"}"#
            }.joined(separator: ",")
            let body = #"{"query":"mutation($c: [comments_insert_input!]!) { insert_comments(objects: $c) { affected_rows } }","variables":{"c":["# + rows + "]}}"
            let (status, answer) = try await postLarge(port: try #require(client.port), body, token: token)
            #expect(answer.contains("more than the 65535 PostgreSQL accepts"), "\(answer.prefix(300))")
            #expect(status == .ok || status == .badRequest)
            try await stillServing(client, token: token)
        }
        await test.pool.shutdown()
    }

    @Test("10,000 rows with the same members insert in one statement with one parameter for all of them")
    func uniformRowsBatch() async throws {
        let test = try await GraphQLTestServer.start(maximumBodySize: 8 << 20)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let rows = (0..<10_000).map { #"{"task_id":"12000000-0000-4000-8000-000000000001","body":"batch \#($0)"}"# }.joined(separator: ",")
            let body = #"{"query":"mutation($c: [comments_insert_input!]!) { insert_comments(objects: $c) { affected_rows } }","variables":{"c":["# + rows + "]}}"
            let (status, answer) = try await postLarge(port: try #require(client.port), body, token: token)
            #expect(status == .ok)
            #expect(answer == #"{"data":{"insert_comments":{"affected_rows" : 10000}}}"#, "\(answer.prefix(300))")
            try await stillServing(client, token: token)
        }
        await test.pool.shutdown()
    }
}
