import Testing
@testable import GraphQLLanguage

@Suite("Source locations")
struct SourceLocationTests {
    @Test("\\n, \\r\\n and \\r each end one line", arguments: [
        ("a\nb\nc", 4, 3, 1),
        ("a\r\nb\r\nc", 6, 3, 1),
        ("a\rb\rc", 4, 3, 1),
        ("a\r\n\nb", 4, 3, 1),
        ("query {\n  field\n}", 10, 2, 3),
    ])
    func lineEndings(text: String, offset: Int, line: Int, column: Int) {
        let location = Source(text).location(ofOffset: offset)
        #expect(location.line == line)
        #expect(location.column == column)
    }

    @Test("columns count UTF-16 units, like graphql-js")
    func utf16Columns() {
        // "é" is one UTF-16 unit (2 bytes); "😀" is two units (4 bytes).
        let source = Source("é😀x")
        #expect(source.location(ofOffset: 2).column == 2)
        #expect(source.location(ofOffset: 6).column == 4)
    }
}

@Suite("GraphQL errors as JSON")
struct GraphQLErrorTests {
    @Test("message, locations, path and code in spec order")
    func fullError() {
        let error = GraphQLError(
            "Cannot query field \"nme\" on type \"User\".",
            locations: [SourceLocation(offset: 12, line: 2, column: 5)],
            path: [.field("users"), .index(0)],
            code: "validation-failed")
        #expect(error.json == #"{"message":"Cannot query field \"nme\" on type \"User\".","locations":[{"line":2,"column":5}],"path":["users",0],"extensions":{"code":"validation-failed"}}"#)
    }

    @Test("control characters are escaped")
    func escaping() {
        #expect(JSONText.quoted("a\tb\n\u{01}\\") == #""a\tb\n\u0001\\""#)
        #expect(JSONText.quoted("say \"ü\u{1F}\"\r\u{0C}\u{08}") == #""say \"ü\u001f\"\r\f\b""#)
    }

    @Test("text without anything to escape is kept as it is, characters beyond ASCII included")
    func plainText() {
        #expect(JSONText.quoted("insert_tasks_one") == #""insert_tasks_one""#)
        #expect(JSONText.quoted("Zoë 🚀 \u{7F}") == "\"Zoë 🚀 \u{7F}\"")
        #expect(JSONText.quoted("") == #""""#)
    }

    @Test("a body of errors only")
    func responseBody() {
        #expect(GraphQLError.responseBody([GraphQLError("x")]) == #"{"errors":[{"message":"x"}]}"#)
    }
}
