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
        }
        let (expected, actual) = try golden.golden(".json", data + "\n")
        #expect(actual == expected)
    }
}
