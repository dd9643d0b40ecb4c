import GraphQLTypeSystem
import Planner
import Testing

/// Row caps bound the rows a response lists, never what aggregates count: run on the golden
/// database's Initech tenant, which holds 602 tasks and 2,001 comments.
@Suite("Aggregates past row caps")
struct AggregateCapTests {
    static let initech = GoldenCase.tenants["initech"] ?? ""

    func run(_ query: String, role: String) async throws -> JSONValue {
        let golden = GoldenCase(name: "cap", text: query, role: role, tenant: Self.initech,
                                user: "30000000-0000-4000-8000-000000000001", variables: [:], operationName: nil)
        guard case .statement(let sql, let parameters) = try golden.plan().body else {
            Issue.record("expected one statement")
            return .null
        }
        let binds = parameters.map { $0.value(variables: [:], session: golden.session) }
        return try JSONValue.parse(try await GoldenDatabase.shared.run(sql, binds: binds, session: golden.session))
    }

    @Test("max_rows caps an admin's nodes at 1,000 while the count beside them is 2,001")
    func maxRows() async throws {
        let data = try await run("{ comments_aggregate { aggregate { count } nodes { id } } }", role: "admin")
        #expect(data["comments_aggregate"]?["aggregate"]?["count"] == .number("2001"))
        #expect(data["comments_aggregate"]?["nodes"]?.arrayValue?.count == 1_000)
    }

    @Test("the member's select limit caps nodes at 500 while the count is 602, also under a relationship")
    func roleLimit() async throws {
        let data = try await run("""
            { tasks_aggregate { aggregate { count } nodes { id } }
              projects { tasks_aggregate { aggregate { count } nodes { id } } } }
            """, role: "member")
        #expect(data["tasks_aggregate"]?["aggregate"]?["count"] == .number("602"))
        #expect(data["tasks_aggregate"]?["nodes"]?.arrayValue?.count == 500)
        let nested = data["projects"]?.arrayValue?.first?["tasks_aggregate"]
        #expect(nested?["aggregate"]?["count"] == .number("602"))
        #expect(nested?["nodes"]?.arrayValue?.count == 500)
    }

    @Test("a plain list is still capped: the member gets 500 of 602 tasks, the admin 1,000 of 2,001 comments")
    func lists() async throws {
        let tasks = try await run("{ tasks { id } }", role: "member")
        #expect(tasks["tasks"]?.arrayValue?.count == 500)
        let comments = try await run("{ comments { id } }", role: "admin")
        #expect(comments["comments"]?.arrayValue?.count == 1_000)
    }
}

