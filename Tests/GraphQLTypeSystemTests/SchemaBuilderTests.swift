import GraphQLLanguage
import Testing
@testable import GraphQLTypeSystem

@Suite("Schema from SDL")
struct SchemaBuilderTests {
    static let sdl = """
        "The demo schema"
        schema { query: Query mutation: Mutation }
        interface Node { id: ID! }
        interface Entity implements Node { id: ID! name: String }
        type User implements Node & Entity { id: ID! name: String tasks(first: Int = 10): [Task!]! }
        type Task implements Node { id: ID! title: String! @deprecated(reason: "use name") status: Status }
        union SearchResult = User | Task
        enum Status { OPEN CLOSED @deprecated }
        scalar DateTime @specifiedBy(url: "https://scalars.graphql.org/andimarek/date-time")
        input TaskFilter @oneOf { id: ID status: Status }
        type Query { node(id: ID!): Node search(text: String!, filter: TaskFilter): [SearchResult!]! }
        type Mutation { close(id: ID!): Task }
        extend type Query { me: User }
        extend enum Status { ARCHIVED }
        """

    @Test("types, fields, roots, extensions and built-ins")
    func builds() throws {
        let schema = try SchemaBuilder.build(sdl: Self.sdl)
        #expect(schema.description == "The demo schema")
        #expect(schema.queryTypeName == "Query" && schema.mutationTypeName == "Mutation" && schema.subscriptionTypeName == nil)
        #expect(schema.rootType(for: .query)?.fields.map(\.name) == ["node", "search", "me"])
        #expect(schema.possibleTypes(of: "Node") == ["User", "Task"])
        #expect(schema.possibleTypes(of: "SearchResult") == ["User", "Task"])
        #expect(schema.implementors(of: "Node").sorted() == ["Entity", "Task", "User"])
        #expect(schema.isSubType("User", of: "Entity"))
        #expect(!schema.isSubType("Task", of: "Entity"))
        #expect(schema.typesOverlap("Entity", "SearchResult"))
        guard case .enumeration(let status)? = schema.type(named: "Status"),
              case .scalar(let date)? = schema.type(named: "DateTime"),
              case .inputObject(let filter)? = schema.type(named: "TaskFilter") else {
            Issue.record("missing types")
            return
        }
        #expect(status.values.map(\.name) == ["OPEN", "CLOSED", "ARCHIVED"])
        #expect(status.value(named: "CLOSED")?.deprecationReason == "No longer supported")
        #expect(schema.field(on: "Task", named: "title")?.deprecationReason == "use name")
        #expect(date.specifiedByURL == "https://scalars.graphql.org/andimarek/date-time")
        #expect(filter.isOneOf)
        #expect(schema.field(on: "User", named: "tasks")?.arguments.first?.defaultValue?.kind == .int("10"))
        // Built-ins and meta-fields.
        #expect(["Int", "Float", "String", "Boolean", "ID", "__Schema", "__Type", "__TypeKind"].allSatisfy { schema.type(named: $0) != nil })
        #expect(Set(schema.directiveNames).isSuperset(of: ["include", "skip", "deprecated", "specifiedBy", "oneOf"]))
        #expect(schema.field(on: "Task", named: "__typename")?.type == .nonNull(.named("String")))
        #expect(schema.field(on: "Query", named: "__schema") != nil)
        #expect(schema.field(on: "User", named: "__schema") == nil)
        #expect(schema.isTypeSubType(.nonNull(.named("User")), of: .named("Node")))
        #expect(!schema.isTypeSubType(.named("User"), of: .nonNull(.named("Node"))))
    }

    @Test("schema problems are all reported, with graphql-js's wording and locations", arguments: [
        ("type Query { a: Int } type Query { b: Int }", #"There can be only one type named "Query"."#),
        ("type Query { a: Unknwn }", #"Unknown type "Unknwn"."#),
        ("type Query { a: Strin }", #"Unknown type "Strin". Did you mean "String"?"#),
        ("type Query { a: Int a: String }", #"Field "Query.a" can only be defined once."#),
        ("type Query { a: Int } extend type Query { a: Int }", #"Field "Query.a" can only be defined once."#),
        ("type Query { a: Int } extend type Missing { a: Int }", #"Cannot extend type "Missing" because it is not defined."#),
        ("type Query { a: Int } extend input Query { a: Int }", #"Cannot extend non-input object type "Query"."#),
        ("type Mutation { a: Int }", "Query root type must be provided."),
        ("schema { query: Q } input Q { a: Int }", "Query root type must be Object type, it cannot be Q."),
        ("type Query { a: I } input I { a: Int }", "The type of Query.a must be Output Type but got: I."),
        ("type Query { a(x: Query): Int }", "The type of Query.a(x:) must be Input Type but got: Query."),
        ("type Query { a: U } union U = Query | String", "Union type U can only include Object types, it cannot include String."),
        ("type Query { a(x: I): Int } input I { b: I! }", #"Cannot reference Input Object "I" within itself through a series of non-null fields: "b"."#),
        ("type Query { a(x: I): Int } input I { b: J! } input J { c: I! }", #"Cannot reference Input Object "I" within itself through a series of non-null fields: "b.c"."#),
        ("type Query { a(x: O): Int } input O @oneOf { b: Int! }", "OneOf input field O.b must be nullable."),
        ("type Query { a(x: O): Int } input O @oneOf { b: Int = 1 }", "OneOf input field O.b cannot have a default value."),
        ("type Query implements I { a: Int } interface I { a: Int b: String }", "Interface field I.b expected but Query does not provide it."),
        ("type Query implements I { a: String } interface I { a: Int }", "Interface field I.a expects type Int but Query.a is type String."),
        ("type Query implements I { a(x: Int!): Int } interface I { a: Int }", "Object field Query.a includes required argument x that is missing from the Interface field I.a."),
        ("type Query implements J { a: Int } interface I { a: Int } interface J implements I { a: Int }", "Type Query must implement I because it is implemented by J."),
        ("type Query implements String { a: Int }", "Type Query must only implement Interface types, it cannot implement String."),
        ("type Query { a(x: Int! @deprecated): Int }", "Required argument Query.a(x:) cannot be deprecated."),
        ("type Query { __a: Int }", #"Name "__a" must not begin with "__", which is reserved by GraphQL introspection."#),
        ("type Query { a: Int } type Empty", "Type Empty must define one or more fields."),
        ("type Query { a: Int } enum E", "Enum type E must define one or more values."),
        ("schema { query: Query } schema { query: Query } type Query { a: Int }", "Must provide only one schema definition."),
    ])
    func invalid(sdl: String, message: String) {
        do {
            _ = try SchemaBuilder.build(sdl: sdl)
            Issue.record("accepted: \(sdl)")
        } catch {
            #expect(error.errors.map(\.message).contains(message), "\(error.errors.map(\.message))")
            #expect(error.errors.allSatisfy { !$0.locations.isEmpty || $0.message.hasPrefix("Query root type must be provided") })
        }
    }

    @Test("errors point at the definition")
    func location() {
        #expect {
            try SchemaBuilder.build(sdl: "type Query {\n  a: Int\n  b: Missing\n}")
        } throws: { error in
            (error as? GraphQLErrors)?.errors.first?.locations.first.map { [$0.line, $0.column] } == [3, 6]
        }
    }
}
