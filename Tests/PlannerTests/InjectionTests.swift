import GraphQLTypeSystem
import Planner
import SQL
import Testing

/// Client values travel as binds: none of them, however hostile, appears in the statement text.
@Suite("Client values never reach SQL text")
struct InjectionTests {
    static let hostile = [
        "'; DROP TABLE tasks; --", "\" OR 1=1 --", "$1; SELECT $2", "$$ SELECT 1 $$", "a;b", "x\u{0}y", "Ünïcode ✓ 🚀", "\\'", "E'\\x41'",
    ]

    @Test("hostile strings as literals and as variables become binds", arguments: hostile)
    func hostileString(_ value: String) throws {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\u{0}", with: "\\u0000")
        let literal = GoldenCase(name: "literal", text: "{ tasks(where: {title: {_eq: \"\(escaped)\"}, status: {_in: [\"\(escaped)\"]}}) { title } }",
                                 role: "member", tenant: "t", user: nil, variables: [:], operationName: nil)
        let plan = try literal.plan()
        let sql = try #require(plan.sql)
        #expect(!sql.contains(value))
        #expect(plan.parameters.contains(.value(.text(value))))

        let variable = GoldenCase(name: "variable", text: "query($v: String) { tasks(where: {title: {_like: $v}}) { title } }",
                                  role: "member", tenant: "t", user: nil, variables: ["v": .string(value)], operationName: nil)
        let variablePlan = try variable.plan()
        #expect(!(variablePlan.sql ?? "").contains(value))
        let binds = variablePlan.parameters.map { $0.value(variables: variable.variables, session: variable.session) }
        #expect(binds.contains(.text(value)))
    }
}
