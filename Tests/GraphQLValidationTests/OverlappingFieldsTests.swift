import GraphQLLanguage
import GraphQLTypeSystem
import Testing
@testable import GraphQLValidation

@Suite("Overlapping fields")
struct OverlappingFieldsTests {
    static let schema = try! SchemaBuilder.build(sdl: """
        type User { id: ID! name: String friends(first: Int): [User] manager: User }
        type Query { me: User user(id: ID!): User }
        """)

    func validate(_ text: String) throws -> [GraphQLError] {
        Validator.validate(try Parser.parse(text, limits: .trusted), against: Self.schema)
    }

    @Test("conflicts name the response key and the reason, down through subfields")
    func conflicts() throws {
        #expect(try validate("{ me { x: id x: name } }").map(\.message) == [
            #"Fields "x" conflict because "id" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional."#,
        ])
        let nested = try validate("{ me { manager { x: id } manager { x: name } } }")
        #expect(nested.map(\.message) == [
            #"Fields "manager" conflict because subfields "x" conflict because "id" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional."#,
        ])
        #expect(nested.first?.locations.count == 4)
    }

    /// Repeated identical fields are the classic quadratic trap; these finish in well under a
    /// second in a debug build because equal fields are compared once.
    @Test("1,000 repeated fields, with or without sub-selections, validate without quadratic work")
    func repeated() throws {
        let flat = "{ me { " + String(repeating: "name ", count: 1_000) + "} }"
        #expect(try validate(flat).isEmpty)
        let nested = "{ me { " + String(repeating: "friends(first: 2) { id manager { name } } ", count: 1_000) + "} }"
        #expect(try validate(nested).isEmpty)
        let conflicting = "{ me { " + String(repeating: "a: id a: name ", count: 1_000) + "} }"
        let errors = try validate(conflicting)
        #expect(errors.count == 101, "stops at the error limit")
    }

    @Test("hundreds of sibling fragments: same-content ones compare once, a conflicting one against each")
    func siblingFragments() throws {
        let names = (0..<300).map { "F\($0)" }
        let fragments = names.map { "fragment \($0) on User { x: id manager { name } }" }.joined(separator: "\n")
        let clean = "{ me { " + names.map { "...\($0)" }.joined(separator: " ") + " } }\n" + fragments
        #expect(try validate(clean).isEmpty)
        let conflicting = "{ me { " + names.map { "...\($0)" }.joined(separator: " ") + " ...Bad } }\n" + fragments
            + "\nfragment Bad on User { x: name }"
        let errors = try validate(conflicting)
        #expect(errors.count == 101, "one conflict per fragment paired with Bad, up to the limit")
        #expect(errors.first?.message == #"Fields "x" conflict because "id" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional."#)
    }

    @Test("a thousand operations sharing one fragment are all valid")
    func manyOperations() throws {
        let text = (0..<1_000).map { "query Q\($0) { me { ...F } }" }.joined(separator: "\n") + "\nfragment F on User { id }"
        #expect(try validate(text).isEmpty)
    }

    @Test("thousands of same-key fields with differing sub-selections hit the comparison budget, with a clear error")
    func comparisonBudget() throws {
        let text = "{ me { " + (0..<2_000).map { "a: manager { f\($0): id }" }.joined(separator: " ") + " } }"
        #expect(try validate(text).map(\.message) == [
            "The document has too many fields with the same response name to check that they can be merged (more than 100000 comparisons). Use fewer repeated fields or distinct aliases.",
        ])
    }

    /// A fragment spread under repeated fields is compared with itself from two selection sets;
    /// this once indexed past the end of a one-fragment group and stopped the process.
    @Test("the same fragment under repeated fields: conflicts found one, two and three levels down, no crash")
    func fragmentUnderRepeatedFields() throws {
        let killer = """
            { me { ...F } me { ...F } }
            fragment F on User { manager { x: id } manager { x: name } manager { y: name } }
            """
        #expect(try validate(killer).map(\.message).first == #"Fields "manager" conflict because subfields "x" conflict because "id" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional."#)
        #expect(try validate("{ me { ...F } me { ...F } }\nfragment F on User { id manager { name } }").isEmpty)
        let twoDown = """
            { me { ...F } me { ...F } }
            fragment F on User { friends { manager { x: id } } friends { manager { x: name } } }
            """
        #expect(try validate(twoDown).map(\.message).first == #"Fields "friends" conflict because subfields "manager" conflict because subfields "x" conflict because "id" and "name" are different fields. Use different aliases on the fields to fetch both if this was intentional."#)
        let threeDown = """
            { me { ...F } me { ...F } me { ...F } }
            fragment F on User { manager { ...G } manager { ...G } }
            fragment G on User { friends { manager { x: id } } friends { manager { x: name } } }
            """
        #expect(try !validate(threeDown).isEmpty)
    }

    @Test("fragment groups of different sizes under repeated fields compare every pair of distinct names")
    func fragmentGroupsOfDifferentSizes() throws {
        let fragments = """
            fragment A on User { x: id }
            fragment B on User { x: id }
            fragment C on User { x: id }
            fragment D on User { x: name }
            """
        #expect(try validate("{ me { ...A ...B } me { ...A ...B ...C } }\n" + fragments.split(separator: "\n").prefix(3).joined(separator: "\n")).isEmpty)
        // As graphql-js answers: the two `me` conflict through A and D; inside the second, B and
        // C conflict with D (A and D were compared already).
        let mixed = try validate("{ me { ...A } me { ...A ...B ...C ...D } }\n" + fragments).map(\.message)
        #expect(mixed.count == 3)
        #expect(mixed.first?.hasPrefix(#"Fields "me" conflict because subfields "x" conflict because "id" and "name""#) == true)
        #expect(mixed.dropFirst().allSatisfy { $0.hasPrefix(#"Fields "x" conflict because "id" and "name" are different fields"#) })
        let sameGroupOnBothSides = try validate("""
            { me { ...A ...D } me { ...A ...D } }
            fragment A on User { x: id }
            fragment D on User { x: name }
            """).map(\.message)
        #expect(sameGroupOnBothSides.count == 1)
        #expect(sameGroupOnBothSides.first?.hasPrefix(#"Fields "me" conflict because subfields "x""#) == true)
    }
}
