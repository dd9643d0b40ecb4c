import Testing
@testable import GraphQLLanguage

@Suite("Parsing")
struct ParserTests {
    @Test("syntax errors: message, line and column as graphql-js reports them", arguments: TestCases.syntaxErrors)
    func syntaxError(_ testCase: TestCases.SyntaxErrorCase) {
        do {
            _ = try Parser.parse(testCase.input)
            Issue.record("accepted: \(testCase.input)")
        } catch {
            #expect(error.message == testCase.message)
            #expect(error.locations.map(\.line) == [testCase.line])
            #expect(error.locations.map(\.column) == [testCase.column])
            #expect(error.code == "parse-failed")
        }
    }

    @Test("fields, aliases, arguments, fragments and locations")
    func structure() throws {
        let document = try Parser.parse("""
            query Q($id: ID! = "1") @live {
              me: user(id: $id) { name ...F ... on Admin { level } }
            }
            fragment F on User { email }
            """)
        #expect(document.definitions.count == 2)
        let operation = try #require(document.operations.first)
        #expect(operation.name?.value == "Q")
        #expect(operation.variableDefinitions.first?.variable.value == "id")
        #expect(Printer.print(operation.variableDefinitions[0].type) == "ID!")
        #expect(operation.directives.map(\.name.value) == ["live"])
        guard case .field(let user) = operation.selectionSet.selections[0] else {
            Issue.record("expected a field")
            return
        }
        #expect(user.responseKey == "me" && user.name.value == "user")
        #expect(user.location.line == 2 && user.location.column == 3)
        #expect(user.arguments.first?.value.kind == .variable("id"))
        let kinds = user.selectionSet?.selections.map { selection -> String in
            switch selection {
            case .field: "field"
            case .fragmentSpread: "spread"
            case .inlineFragment: "inline"
            }
        }
        #expect(kinds == ["field", "spread", "inline"])
        #expect(document.fragments.first?.typeCondition.value == "User")
    }

    @Test("values keep their literal text and kind")
    func values() throws {
        let value = try Parser.parseValue(#"{a: -12, b: 1.5e3, c: "x\u{1F600}y", d: [true, null, RED], e: """  x\n  y"""}"#)
        guard case .object(let fields) = value.kind, case .list(let items) = fields[3].value.kind else {
            Issue.record("expected an object holding a list")
            return
        }
        #expect(fields.map(\.name.value) == ["a", "b", "c", "d", "e"])
        #expect(fields[0].value.kind == .int("-12"))
        #expect(fields[1].value.kind == .float("1.5e3"))
        #expect(fields[2].value.kind == .string("x😀y", isBlock: false))
        #expect(items.map(\.kind) == [.boolean(true), .null, .enumValue("RED")])
        // Block strings have no escapes: the backslash and n stay as written.
        #expect(fields[4].value.kind == .string(#"  x\n  y"#, isBlock: true))
    }

    @Test("surrogate pair escapes combine into one character")
    func surrogatePair() throws {
        let value = try Parser.parseValue(#""\uD83D\uDE00""#)
        #expect(value.kind == .string("😀", isBlock: false))
    }

    @Test("block strings: common indentation and blank edge lines removed, \\\"\"\" kept")
    func blockStrings() throws {
        let value = try Parser.parseValue("\"\"\"\n\n    Hello,\n      World!\n\n    Yours,\n      \\\"\"\"GraphQL.\n  \n\"\"\"")
        #expect(value.kind == .string("Hello,\n  World!\n\nYours,\n  \"\"\"GraphQL.", isBlock: true))
    }

    @Test("BOM, commas and comments are ignored")
    func ignoredTokens() throws {
        let document = try Parser.parse("\u{FEFF}{ a,, b # comment, with } brace\n c }")
        guard case .operation(let operation) = document.definitions[0] else { return }
        #expect(operation.selectionSet.selections.count == 3)
    }

    @Test("descriptions on operations, fragments and variables (September 2025 edition)")
    func executableDescriptions() throws {
        let document = try Parser.parse("""
            "Fetch one user"
            query Q("the id" $id: ID) { a }
            \"\"\"Shared fields\"\"\"
            fragment F on T { b }
            """)
        #expect(document.operations[0].description?.value == "Fetch one user")
        #expect(document.operations[0].variableDefinitions[0].description?.value == "the id")
        #expect(document.fragments[0].description?.isBlock == true)
        #expect(Printer.print(document) == "\"Fetch one user\"\nquery Q(\"the id\" $id: ID) {\n  a\n}\n\n\"\"\"Shared fields\"\"\"\nfragment F on T {\n  b\n}")
    }

    @Test("invalid UTF-8 is a syntax error, not a replacement character")
    func invalidUTF8() {
        #expect {
            try Parser.parse(Source(bytes: Array("{ a(x: \"".utf8) + [0xC3, 0x28] + Array("\") }".utf8)))
        } throws: { error in
            let error = error as! GraphQLError
            return error.message == "Syntax Error: Invalid UTF-8: byte 0xC3 does not begin a valid sequence."
                && error.locations.first?.column == 9
        }
        // Encoded surrogates (CESU-8) are not UTF-8 either.
        #expect(throws: GraphQLError.self) {
            try Parser.parse(Source(bytes: Array("# ".utf8) + [0xED, 0xA0, 0x80] + Array("\n{ a }".utf8)))
        }
    }
}
