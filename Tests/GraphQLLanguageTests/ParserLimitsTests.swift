import Testing
@testable import GraphQLLanguage

/// Hostile documents must fail fast with a clear error: no crash, no stack overflow, no hang.
@Suite("Parser limits")
struct ParserLimitsTests {
    @Test("10 MB of { is rejected at the second brace")
    func braces() {
        let source = Source(bytes: [UInt8](repeating: UInt8(ascii: "{"), count: 10_000_000))
        #expect {
            try Parser.parse(source)
        } throws: { error in
            let error = error as? GraphQLError
            return error?.message == "Syntax Error: Expected Name, found \"{\"." && error?.locations.first?.column == 2
        }
    }

    @Test("100,000-deep selection sets stop at the depth limit")
    func deepSelections() {
        let text = String(repeating: "{ a ", count: 100_000) + String(repeating: "}", count: 100_000)
        #expect {
            try Parser.parse(text)
        } throws: { error in
            (error as? GraphQLError)?.message == "Syntax Error: Document nesting exceeds the maximum depth of 128. Parsing aborted."
        }
    }

    @Test("100,000-deep nested lists stop at the depth limit")
    func deepLists() {
        let text = "{ a(x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + ") }"
        #expect {
            try Parser.parse(text)
        } throws: { error in
            (error as? GraphQLError)?.message.contains("maximum depth") == true
        }
    }

    @Test("a million aliases stop at the token limit")
    func aliases() {
        var text = "{ "
        for index in 0..<1_000_000 { text += "a\(index): b " }
        text += "}"
        #expect {
            try Parser.parse(text)
        } throws: { error in
            (error as? GraphQLError)?.message == "Syntax Error: Document contains more than 50000 tokens. Parsing aborted."
        }
    }

    @Test("limits are configurable; trusted files have no token limit")
    func configurable() throws {
        let text = "{ " + String(repeating: "a ", count: 60_000) + "}"
        #expect(throws: GraphQLError.self) { try Parser.parse(text) }
        #expect(try Parser.parse(text, limits: .trusted).tokenCount == 60_002)
        let nested = "{ a " + String(repeating: "{ a ", count: 9) + String(repeating: "} ", count: 10)
        #expect(throws: GraphQLError.self) { try Parser.parse(nested, limits: ParserLimits(maxDepth: 5)) }
        #expect(try Parser.parse(nested, limits: ParserLimits(maxDepth: 10)).definitions.count == 1)
    }
}
