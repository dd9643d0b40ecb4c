import GraphQLTypeSystem
import Planner
import SQL
import Testing
import TestSupport

/// Each golden operation, run on the seeded database, answers exactly the JSON on file.
@Suite("Golden results")
struct GoldenExecutionTests {
    @Test("the demo operations return the data on file", arguments: GoldenCase.all)
    func result(_ golden: GoldenCase) async throws {
        let plan = try golden.plan()
        let data: String
        switch plan.body {
        case .constant(let value):
            data = value.serialized
        case .statement(let sql, let parameters):
            let binds = parameters.map { $0.value(variables: golden.variables, session: golden.session) }
            data = JSONValue.normalized(try await GoldenDatabase.shared.run(sql, binds: binds, session: golden.session))
        case .mutation(let fields):
            // Run in one transaction that is rolled back, so the seeded data stays as it was.
            let statements = fields.map { field in
                (field.responseKey, field.statements.map { statement in
                    (statement.sql, statement.parameters.map { $0.value(variables: golden.variables, session: golden.session) })
                }, field.value)
            }
            let results = try await GoldenDatabase.shared.runRolledBack(statements.flatMap(\.1), session: golden.session)
            var next = 0
            var members: [(String, JSONValue)] = []
            for (key, planned, value) in statements {
                let values = try planned.indices.map { _ in
                    defer { next += 1 }
                    return try JSONValue.parse(results[next])
                }
                switch value {
                case .constant(let constant): members.append((key, constant))
                case .statement: members.append((key, values[0]))
                case .list: members.append((key, .array(values)))
                // No golden operation calls a function mutation; its chained statement would need
                // the first one's result, as the executor passes it.
                case .chained: members.append((key, values[values.count - 1]))
                }
            }
            data = JSONValue.object(members).serialized
        }
        let (expected, actual) = try golden.golden(".json", data + "\n")
        #expect(actual == expected)
    }
}
