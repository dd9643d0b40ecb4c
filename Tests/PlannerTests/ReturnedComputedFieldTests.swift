import Planner
import Testing

/// A write step returns a computed field only when the operation reads it: a function made slow
/// or costly is not run for every written row that nobody asked about.
@Suite("Computed fields in write steps")
struct ReturnedComputedFieldTests {
    func sql(_ text: String, role: String = "member") throws -> String {
        let golden = GoldenCase(name: "computed", text: text, role: role, tenant: "t", user: "u", variables: [:], operationName: nil)
        return try golden.plan().statements.map(\.sql).joined(separator: "\n")
    }

    @Test("an update that does not select is_overdue does not call its function; one that does, does")
    func onlyWhenSelected() throws {
        let pk = #"pk_columns: {id: "12000000-0000-4000-8000-000000000001"}, _set: {title: "renamed"}"#
        #expect(!(try sql("mutation { update_tasks_by_pk(\(pk)) { id title } }")).contains("task_is_overdue"))
        #expect(try sql("mutation { update_tasks_by_pk(\(pk)) { id is_overdue } }").contains("task_is_overdue"))
        // Read through a fragment, and through a relationship of another written row.
        #expect(try sql("mutation { update_tasks_by_pk(\(pk)) { ...F } } fragment F on tasks { is_overdue }").contains("task_is_overdue"))
        let nested = #"mutation { insert_projects_one(object: {name: "P", tasks: {data: [{title: "T"}]}}) { tasks { is_overdue } } }"#
        #expect(try sql(nested, role: "admin").contains("task_is_overdue"))
        #expect(!(try sql(nested.replacingOccurrences(of: "is_overdue", with: "title"), role: "admin")).contains("task_is_overdue"))
    }
}
