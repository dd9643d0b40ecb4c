import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import Logging
import Planner
import SchemaModel
import Testing
import TestSupport
@testable import Server

/// Which requests share a plan: the cache key holds a variable's value only when the value
/// shaped the SQL, and a variable's layout when only that did.
@Suite("Plan cache")
struct PlanCacheTests {
    static let executor: GraphQLExecutor? = {
        guard let project = try? SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:]),
              let apis = try? RoleSchema.buildAll(project) else { return nil }
        return GraphQLExecutor(apis: apis, pool: nil, limits: .default, logger: Logger(label: "strata.test"))
    }()

    func statements(_ query: String, _ variables: [String: JSONValue]) throws -> [String] {
        let executor = try #require(Self.executor)
        let session = Session(role: "member", tenantID: DemoTenants.acme, userID: "u")
        guard case .ready(let prepared) = executor.prepare(GraphQLRequest(query: query, variables: variables), session: session) else {
            Issue.record("not prepared")
            return []
        }
        return prepared.entry.statements.map(\.name)
    }

    @Test("inserts whose rows differ only in values share one plan and one prepared statement")
    func insertLayouts() throws {
        let query = "mutation($c: [comments_insert_input!]!) { insert_comments(objects: $c) { affected_rows } }"
        func row(_ body: String) -> JSONValue { .object([("task_id", .string("t")), ("body", .string(body))]) }
        let first = try statements(query, ["c": .array([row("one")])])
        let second = try statements(query, ["c": .array([row("two'; DROP TABLE x; --")])])
        let twoRows = try statements(query, ["c": .array([row("a"), row("b")])])
        let withoutBody = try statements(query, ["c": .array([.object([("task_id", .string("t"))])])])
        #expect(first.count == 1)
        #expect(first == second)
        #expect(first != twoRows)
        #expect(first != withoutBody)
    }

    @Test("an enum inside an input object shapes the plan by its value")
    func enumValues() throws {
        let query = "mutation($c: [comments_insert_input!]!, $o: comments_on_conflict) { insert_comments(objects: $c, on_conflict: $o) { affected_rows } }"
        let rows = JSONValue.array([.object([("task_id", .string("t")), ("body", .string("b"))])])
        let nothing = try statements(query, ["c": rows, "o": .object([("constraint", .string("comments_pkey")), ("update_columns", .array([]))])])
        let update = try statements(query, ["c": rows, "o": .object([("constraint", .string("comments_pkey")), ("update_columns", .array([.string("body")]))])])
        #expect(nothing != update)
    }

    @Test("layouts keep members, list lengths and nulls, and drop scalar values")
    func layout() {
        #expect(PlanCache.layout(.array([.object([("a", .string("x")), ("b", .null), ("c", .number("1"))])])) == #"[{"a":s,"b":n,"c":s}]"#)
    }
}
