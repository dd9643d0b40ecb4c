import GraphQLLanguage
import GraphQLTypeSystem
import Planner
import Testing

/// Numbers a client writes that no statement could use are refused while planning, with the
/// argument's location, instead of reaching PostgreSQL (or trapping on the way).
@Suite("Client numbers")
struct ClientNumberTests {
    func planningError(_ text: String) -> GraphQLError? {
        let golden = GoldenCase(name: "numbers", text: text, role: "member", tenant: "t", user: "u", variables: [:], operationName: nil)
        do {
            _ = try golden.plan()
            return nil
        } catch let errors as GraphQLErrors {
            return errors.errors.first
        } catch {
            return nil
        }
    }

    @Test("a negative limit or offset is a validation error at the argument, under relationships too")
    func negativeLimitAndOffset() {
        let limit = planningError("{ tasks(limit: -1) { title } }")
        #expect(limit?.message == #""limit" must not be negative"#)
        #expect(limit?.code == ErrorCode.validationFailed)
        #expect(limit?.locations.first?.column == 16)
        let offset = planningError("{ projects { tasks(offset: -5) { title } } }")
        #expect(offset?.message == #""offset" must not be negative"#)
        #expect(offset?.path == [.field("projects"), .field("tasks")])
    }

    @Test("the largest limits and offsets GraphQL's Int allows plan normally")
    func largestNumbers() {
        #expect(planningError("{ tasks(limit: 2147483647, offset: 2147483647) { title } }") == nil)
        #expect(planningError("{ tasks_aggregate(limit: 2147483647) { aggregate { count } } }") == nil)
    }
}
