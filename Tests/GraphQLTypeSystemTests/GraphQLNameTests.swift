import Testing
@testable import GraphQLTypeSystem

@Suite("GraphQL names")
struct GraphQLNameTests {
    @Test("valid names", arguments: ["tasks", "_private", "Task2", "tasks_by_pk", "A"])
    func valid(name: String) throws {
        #expect(try GraphQLName(name).value == name)
    }

    @Test("invalid names are rejected with the reason")
    func invalid() {
        #expect(throws: GraphQLName.Problem.empty) { try GraphQLName("") }
        #expect(throws: GraphQLName.Problem.invalidCharacter("2", position: 0)) { try GraphQLName("2fast") }
        #expect(throws: GraphQLName.Problem.invalidCharacter("-", position: 4)) { try GraphQLName("task-list") }
        #expect(throws: GraphQLName.Problem.invalidCharacter("é", position: 1)) { try GraphQLName("né") }
        #expect(throws: GraphQLName.Problem.reserved) { try GraphQLName("__mine") }
    }

    @Test("introspection may use reserved names")
    func reservedAllowed() throws {
        #expect(try GraphQLName("__typename", allowReserved: true).value == "__typename")
    }
}
