import Testing
@testable import APISchema

@Suite("Hasura-style names")
struct RootFieldNamesTests {
    @Test("root fields and input types of a table")
    func names() {
        let names = RootFieldNames(table: "tasks")
        #expect(names.allRootFields == [
            "tasks", "tasks_by_pk", "tasks_aggregate", "tasks_stream", "insert_tasks", "insert_tasks_one",
            "update_tasks", "update_tasks_by_pk", "update_tasks_many", "delete_tasks", "delete_tasks_by_pk",
        ])
        #expect(names.boolExpType == "tasks_bool_exp")
        #expect(names.orderByType == "tasks_order_by")
        #expect(names.mutationResponseType == "tasks_mutation_response")
        #expect(names.onConflictType == "tasks_on_conflict")
    }
}
