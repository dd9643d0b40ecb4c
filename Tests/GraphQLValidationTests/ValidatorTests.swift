import GraphQLLanguage
import GraphQLTypeSystem
import Testing
@testable import GraphQLValidation

/// Rules the graphql-js 16 differential test cannot check (September 2025 additions), and the
/// validator's own behaviour. Everything else is compared with graphql-js by the conformance test.
@Suite("Validation")
struct ValidatorTests {
    static let schema = try! SchemaBuilder.build(sdl: """
        input Pick @oneOf { id: ID name: String }
        type User { id: ID! name: String }
        type Query { user(pick: Pick!): User users(first: Int): [User] }
        type Subscription { userChanged: User userAdded: User }
        """)

    func messages(_ text: String) throws -> [String] {
        Validator.validate(try Parser.parse(text), against: Self.schema).map(\.message)
    }

    @Test("a valid operation has no errors")
    func valid() throws {
        #expect(try messages("query Q($id: ID!) { user(pick: {id: $id}) { name } }") == [])
    }

    @Test("@oneOf literals give exactly one non-null field; variables there are non-null", arguments: [
        ("{ user(pick: {id: 1, name: \"x\"}) { id } }", #"OneOf Input Object "Pick" must specify exactly one key."#),
        ("{ user(pick: {}) { id } }", #"OneOf Input Object "Pick" must specify exactly one key."#),
        ("{ user(pick: {id: null}) { id } }", #"Field "Pick.id" must be non-null."#),
        ("query ($id: ID) { user(pick: {id: $id}) { id } }", #"Variable "id" must be non-nullable to be used for OneOf Input Object "Pick"."#),
    ])
    func oneOf(document: String, message: String) throws {
        #expect(try messages(document) == [message])
    }

    @Test("subscriptions select one root field, not an introspection field")
    func subscriptions() throws {
        #expect(try messages("subscription S { userChanged { id } userAdded { id } }")
                == [#"Subscription "S" must select only one top level field."#])
        #expect(try messages("subscription { __typename }")
                == ["Anonymous Subscription must not select an introspection top level field."])
        #expect(try messages("subscription { userChanged @skip(if: true) { id } userAdded { id } }") == [])
    }

    @Test("errors carry locations and the validation code")
    func locations() throws {
        let errors = Validator.validate(try Parser.parse("{\n  users(first: \"x\") { nme }\n}"), against: Self.schema)
        #expect(errors.map(\.message) == [
            #"Cannot query field "nme" on type "User". Did you mean "name"?"#,
            #"Int cannot represent non-integer value: "x""#,
        ])
        #expect(errors.map { $0.locations.map { [$0.line, $0.column] } } == [[[2, 23]], [[2, 16]]])
        #expect(errors.allSatisfy { $0.code == "validation-failed" })
    }

    @Test("validation stops after the error limit")
    func limit() throws {
        let document = try Parser.parse("{ " + (0..<300).map { "f\($0)" }.joined(separator: " ") + " }")
        let errors = Validator.validate(document, against: Self.schema, maxErrors: 100)
        #expect(errors.count == 101)
        #expect(errors.last?.message == "Too many validation errors, error limit reached. Validation aborted.")
    }
}
