import GraphQLLanguage
import GraphQLTypeSystem
import Testing
@testable import GraphQLValidation

/// Fragments can chain without end within the parser's limits; validation must refuse such
/// documents with a clear error before anything recurses through them.
@Suite("Fragment chains and depth")
struct SelectionDepthTests {
    static let schema = try! SchemaBuilder.build(sdl: "type User { id: ID! manager: User } type Query { me: User }")

    func validate(_ text: String) throws -> [String] {
        Validator.validate(try Parser.parse(text, limits: .trusted), against: Self.schema).map(\.message)
    }

    @Test("a chain of 5,000 fragment spreads is refused, not followed")
    func longChain() throws {
        let text = "{ me { ...F0 } }\n" + (0..<5_000).map { "fragment F\($0) on User { id ...F\($0 + 1) }" }.joined(separator: "\n")
            + "\nfragment F5000 on User { id }"
        #expect(try validate(text) == [#"Fragment "F0" starts a chain of 5001 fragment spreads; the limit is 100."#])
    }

    @Test("a cycle through 4,000 fragments is refused, not followed")
    func longCycle() throws {
        let text = "{ me { ...F0 } }\n" + (0..<4_000).map { "fragment F\($0) on User { id ...F\(($0 + 1) % 4_000) }" }.joined(separator: "\n")
        #expect(try validate(text) == [#"Fragment "F0" starts a chain of 4000 fragment spreads; the limit is 100."#])
    }

    @Test("fields nested past the limit through fragments are refused")
    func deepThroughFragments() throws {
        let text = "query Deep { me { ...F0 } }\n" + (0..<60).map { "fragment F\($0) on User { manager { manager { ...F\($0 + 1) } } }" }.joined(separator: "\n")
            + "\nfragment F60 on User { id }"
        #expect(try validate(text) == [#"The operation "Deep" nests fields 122 levels deep, counting its fragments; the limit is 100."#])
    }

    @Test("fields are counted wherever a fragment is spread; past the limit the operation is refused")
    func fieldCount() throws {
        // F1 spreads F0 twice, F2 spreads F1 twice…: 20 levels select about 2^20 fields from a short text.
        let text = "query Wide { me { ...F20 } }\nfragment F0 on User { id }\n"
            + (1...20).map { "fragment F\($0) on User { a: manager { ...F\($0 - 1) } b: manager { ...F\($0 - 1) } }" }.joined(separator: "\n")
        let document = try Parser.parse(text, limits: .trusted)
        let errors = Validator.validate(document, against: Self.schema, maxFields: 10_000).map(\.message)
        #expect(errors == [#"The operation "Wide" selects 3145727 fields, counting each fragment where it is spread; the limit is 10000."#])
        let small = try Parser.parse("{ me { id manager { id } } }", limits: .trusted)
        #expect(Validator.validate(small, against: Self.schema, maxFields: 4).isEmpty)
        #expect(Validator.validate(small, against: Self.schema, maxFields: 3).count == 1)
    }

    @Test("short cycles still get the specification's message")
    func shortCycle() throws {
        #expect(try validate("{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }")
                == [#"Cannot spread fragment "A" within itself via "B"."#])
    }
}
