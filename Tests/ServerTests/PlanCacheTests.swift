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
        return GraphQLExecutor(apis: apis, pools: nil, limits: .default, logger: Logger(label: "strata.test"))
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
        #expect(first == twoRows, "rows travel as one JSON parameter: their number does not shape the SQL")
        #expect(first != withoutBody)
        let thousand = try statements(query, ["c": .array((0..<1_000).map { row("r\($0)") })])
        #expect(first == thousand)
        let mixed = try statements(query, ["c": .array([row("a"), .object([("body", .string("b")), ("task_id", .string("t"))])])])
        #expect(first != mixed, "rows whose members differ are planned row by row")
    }

    @Test("an enum inside an input object shapes the plan by its value")
    func enumValues() throws {
        let query = "mutation($c: [comments_insert_input!]!, $o: comments_on_conflict) { insert_comments(objects: $c, on_conflict: $o) { affected_rows } }"
        let rows = JSONValue.array([.object([("task_id", .string("t")), ("body", .string("b"))])])
        let nothing = try statements(query, ["c": rows, "o": .object([("constraint", .string("comments_pkey")), ("update_columns", .array([]))])])
        let update = try statements(query, ["c": rows, "o": .object([("constraint", .string("comments_pkey")), ("update_columns", .array([.string("body")]))])])
        #expect(nothing != update)
    }

    @Test("layouts keep members, nulls and lengths of lists of objects, and drop scalar values and scalar list lengths")
    func layout() {
        #expect(PlanCache.layout(.array([.object([("a", .string("x")), ("b", .null), ("c", .number("1"))])])) == #"[*"a","b","c"]"#)
        #expect(PlanCache.layout(.array([.object([("a", .string("x"))]), .object([("b", .null)])])) == #"[{"a":s},{"b":n}]"#)
        #expect(PlanCache.layout(.array([.object([("a", .object([("data", .array([]))]))])])) == #"[{"a":{"data":[*]}}]"#)
        #expect(PlanCache.layout(.object([("_in", .array([.string("a"), .string("b")]))])) == #"{"_in":[*]}"#)
        #expect(PlanCache.layout(.array([])) == "[*]")
    }

    @Test("filters in a variable share one plan whatever their values and the lengths of their lists")
    func filterVariables() throws {
        let query = "query($w: tasks_bool_exp) { tasks(where: $w) { id } }"
        func filter(_ titles: [String], status: String = "todo") -> JSONValue {
            .object([("title", .object([("_in", .array(titles.map(JSONValue.string)))])), ("status", .object([("_eq", .string(status))]))])
        }
        let one = try statements(query, ["w": filter(["a"])])
        let many = try statements(query, ["w": filter((0..<70_000).map { "t\($0)" })])
        let other = try statements(query, ["w": filter(["b", "c"], status: "done")])
        #expect(one.count == 1)
        #expect(one == many)
        #expect(one == other)
        let withoutStatus = try statements(query, ["w": .object([("title", .object([("_in", .array([.string("a")]))]))])])
        #expect(one != withoutStatus, "another member of the filter is another plan")
    }

    @Test("a written list of constants is one array parameter, so its length never adds parameters")
    func writtenLists() throws {
        let executor = try #require(Self.executor)
        let session = Session(role: "member", tenantID: DemoTenants.acme, userID: "u")
        let titles = (0..<5_000).map { "\"t\($0)\"" }.joined(separator: ", ")
        guard case .ready(let prepared) = executor.prepare(GraphQLRequest(query: "{ tasks(where: {title: {_in: [\(titles)]}}) { id } }"),
                                                           session: session) else {
            Issue.record("not prepared")
            return
        }
        #expect(prepared.entry.plan.parameters.count == 2, "the tenant and the list")
    }
}
