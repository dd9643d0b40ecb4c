import GraphQLLanguage
import Testing
@testable import GraphQLTypeSystem

@Suite("Introspection")
struct IntrospectionTests {
    static let schema = try! SchemaBuilder.build(sdl: """
        "The schema."
        schema { query: Query }
        "Root."
        type Query {
          "A task."
          task(id: ID!, old: Int @deprecated(reason: "use id")): Task
          legacy: String @deprecated
        }
        type Task implements Node { id: ID! state: State size: Money }
        interface Node { id: ID! }
        enum State { OPEN CLOSED @deprecated(reason: "no more") }
        scalar Money @specifiedBy(url: "https://example.com/money")
        input Pick @oneOf { id: ID name: String }
        input Filter { state: State = OPEN, limit: Int = 10 @deprecated }
        directive @tag(name: String!) repeatable on FIELD_DEFINITION
        """)

    func run(_ query: String, variables: [String: JSONValue] = [:]) throws -> String {
        let document = try Parser.parse(query)
        return Introspection(schema: Self.schema, document: document, variables: variables).execute(document.operations[0]).serialized
    }

    @Test("__type with aliases, fragments, wrapping types and deprecation filtered by default")
    func typeQuery() throws {
        #expect(try run("""
            { t: __type(name: "Query") { ...F } __typename }
            fragment F on __Type { name kind description fields { name args { name } type { kind ofType { name } } } }
            """) == #"{"t":{"name":"Query","kind":"OBJECT","description":"Root.","fields":[{"name":"task","args":[{"name":"id"}],"type":{"kind":"OBJECT","ofType":null}}]},"__typename":"Query"}"#)
        let all = try run(#"{ __type(name: "Query") { fields(includeDeprecated: true) { name isDeprecated deprecationReason args(includeDeprecated: true) { name isDeprecated } } } }"#)
        #expect(all == #"{"__type":{"fields":[{"name":"task","isDeprecated":false,"deprecationReason":null,"args":[{"name":"id","isDeprecated":false},{"name":"old","isDeprecated":true}]},{"name":"legacy","isDeprecated":true,"deprecationReason":"No longer supported","args":[]}]}}"#)
        #expect(try run(#"{ __type(name: "Nope") { name } }"#) == #"{"__type":null}"#)
    }

    @Test("enum values, input fields with defaults, @oneOf, @specifiedBy, interfaces and possible types")
    func typeDetails() throws {
        #expect(try run(#"{ __type(name: "State") { enumValues(includeDeprecated: $all) { name isDeprecated } } }"#, variables: ["all": .bool(true)])
            == #"{"__type":{"enumValues":[{"name":"OPEN","isDeprecated":false},{"name":"CLOSED","isDeprecated":true}]}}"#)
        #expect(try run(#"{ __type(name: "Filter") { isOneOf inputFields { name defaultValue } } }"#)
            == #"{"__type":{"isOneOf":false,"inputFields":[{"name":"state","defaultValue":"OPEN"}]}}"#)
        #expect(try run(#"{ __type(name: "Pick") { isOneOf } m: __type(name: "Money") { specifiedByURL isOneOf } }"#)
            == #"{"__type":{"isOneOf":true},"m":{"specifiedByURL":"https://example.com/money","isOneOf":null}}"#)
        #expect(try run(#"{ a: __type(name: "Task") { interfaces { name } } b: __type(name: "Node") { possibleTypes { name } interfaces { name } } }"#)
            == #"{"a":{"interfaces":[{"name":"Node"}]},"b":{"possibleTypes":[{"name":"Task"}],"interfaces":[]}}"#)
    }

    @Test("__schema: description, roots, directives with isRepeatable; @skip and @include")
    func schemaQuery() throws {
        #expect(try run("""
            query($no: Boolean!) {
              __schema {
                description queryType { name } mutationType { name } subscriptionType @skip(if: true) { name }
                directives @include(if: $no) { name }
                tag: directives { name isRepeatable locations args { name type { kind ofType { name } } } }
              }
            }
            """, variables: ["no": .bool(false)]).hasPrefix(#"{"__schema":{"description":"The schema.","queryType":{"name":"Query"},"mutationType":null,"tag":[{"name":"#))
        let directives = try run("{ __schema { directives { name isRepeatable } } }")
        #expect(directives.contains(#"{"name":"tag","isRepeatable":true}"#))
        #expect(directives.contains(#"{"name":"oneOf","isRepeatable":false}"#))
    }
}
