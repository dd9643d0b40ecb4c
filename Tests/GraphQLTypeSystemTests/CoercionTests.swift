import Foundation
import GraphQLLanguage
import Testing
@testable import GraphQLTypeSystem

@Suite("Input coercion")
struct CoercionTests {
    static let schema = try! SchemaBuilder.build(sdl: """
        enum Status { OPEN CLOSED }
        input Filter { status: Status! limit: Int = 10 }
        input Pick @oneOf { id: ID name: String }
        type Query { a(x: Int, f: Float, i: ID, s: String, b: Boolean, p: Pick): Int }
        """)

    struct Case: Sendable, CustomStringConvertible {
        var variables: String
        var inputs: [String: JSONValue]
        var coerced: [String: String]?
        var error: String?
        var description: String { "\(variables) ← \(JSONValue.object(inputs.sorted { $0.key < $1.key }).inspected)" }
    }

    /// Expected outcomes checked against graphql-js 16's getVariableValues.
    static let cases: [Case] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Cases/variable-coercion.json")
        guard case .array(let items) = try! JSONValue.parse(String(contentsOf: url, encoding: .utf8)) else { return [] }
        return items.map { item in
            guard case .object(let members) = item else { fatalError("bad case") }
            let fields = Dictionary(members, uniquingKeysWith: { $1 })
            guard case .string(let variables)? = fields["variables"], case .object(let inputs)? = fields["inputs"] else { fatalError("bad case") }
            var coerced: [String: String]?
            if case .object(let expected)? = fields["coerced"] {
                coerced = Dictionary(uniqueKeysWithValues: expected.map { key, value in
                    guard case .string(let text) = value else { fatalError("bad case") }
                    return (key, text)
                })
            }
            var error: String?
            if case .string(let message)? = fields["error"] { error = message }
            return Case(variables: variables, inputs: Dictionary(inputs, uniquingKeysWith: { $1 }), coerced: coerced, error: error)
        }
    }()

    static func render(_ value: CoercedValue) -> String {
        switch value {
        case .null: "null"
        case .int(let number): "int(\(number))"
        case .float(let number): "float(\(number))"
        case .string(let text): "string(\"\(text)\")"
        case .boolean(let flag): "boolean(\(flag))"
        case .id(let text): "id(\"\(text)\")"
        case .enumValue(let name): "enumValue(\"\(name)\")"
        case .list(let items): "list([\(items.map(render).joined(separator: ", "))])"
        case .object(let fields): "object([\(fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \(render($0.value))" }.joined(separator: ", "))])"
        case .custom(let json): "custom(\(json.inspected))"
        }
    }

    @Test("variables are coerced, or refused with graphql-js's message", arguments: cases)
    func variables(_ testCase: Case) throws {
        let operation = try Parser.parse("query Q(\(testCase.variables)) { a }").operations[0]
        let result = VariableCoercion(schema: Self.schema).coerce(operation.variableDefinitions, inputs: testCase.inputs)
        switch result {
        case .success(let values):
            #expect(testCase.error == nil, "expected: \(testCase.error ?? "")")
            #expect(values.mapValues(Self.render) == testCase.coerced ?? [:])
        case .failure(let errors):
            #expect(errors.errors.map(\.message) == [testCase.error ?? "(no error expected)"])
            #expect(errors.errors.first?.locations.first?.line == 1)
        }
    }

    @Test("@oneOf input objects take exactly one non-null field")
    func oneOf() {
        let coercion = InputCoercion(schema: Self.schema)
        #expect(throws: Never.self) { try coercion.coerce(.object([("id", .number("4"))]), to: .named("Pick")) }
        #expect(throws: InputCoercion.Failure(path: [], message: "Exactly one key must be specified for OneOf type \"Pick\".")) {
            try coercion.coerce(.object([("id", .number("4")), ("name", .string("x"))]), to: .named("Pick"))
        }
        #expect(throws: InputCoercion.Failure(path: [], message: "Field \"id\" must be non-null.")) {
            try coercion.coerce(.object([("id", .null)]), to: .named("Pick"))
        }
    }

    @Test("a failure deep inside a value names the whole way to it, after the path it was asked under")
    func deepPath() {
        let coercion = InputCoercion(schema: Self.schema)
        let filters: JSONValue = .array([.object([("status", .string("OPEN"))]), .object([("status", .string("SHUT"))])])
        #expect(throws: InputCoercion.Failure(path: [".filters", "[1]", ".status"], message: "Value \"SHUT\" does not exist in \"Status\" enum.")) {
            try coercion.coerce(filters, to: .list(.nonNull(.named("Filter"))), path: [".filters"])
        }
        // A key given twice counts as its last value, in the value coerced and in the error.
        #expect(throws: Never.self) {
            try coercion.coerce(.object([("status", .string("SHUT")), ("status", .string("OPEN"))]), to: .named("Filter"))
        }
        let twice: JSONValue = .object([("status", .string("OPEN")), ("status", .number("1"))])
        let result = VariableCoercion(schema: Self.schema).coerce(try! Parser.parse("query Q($f: Filter) { a }").operations[0].variableDefinitions,
                                                                  inputs: ["f": twice])
        guard case .failure(let errors) = result else { Issue.record("a number for an enum was accepted"); return }
        #expect(errors.errors.map(\.message) == [#"Variable "$f" got invalid value 1 at "f.status"; Enum "Status" cannot represent non-string value: 1."#])
    }

    @Test("literals coerce with variables; invalid literals give nil")
    func literals() throws {
        let literals = LiteralCoercion(schema: Self.schema)
        let value = try Parser.parseValue("{status: $s}", constant: false)
        #expect(literals.coerce(value, to: .named("Filter"), variables: ["s": .enumValue("CLOSED")])
                == .object(["status": .enumValue("CLOSED"), "limit": .int(10)]))
        #expect(literals.coerce(value, to: .named("Filter"), variables: [:]) == nil)
        #expect(literals.coerce(try Parser.parseValue("2147483648"), to: .named("Int"), variables: [:]) == nil)
        #expect(literals.coerce(try Parser.parseValue("4"), to: .named("Float"), variables: [:]) == .float(4))
        #expect(literals.coerce(try Parser.parseValue("[1, $x]", constant: false), to: .list(.named("Int")), variables: [:]) == .list([.int(1), .null]))
        #expect(literals.coerce(try Parser.parseValue("OPEN"), to: .list(.named("Status")), variables: [:]) == .list([.enumValue("OPEN")]))
    }
}

@Suite("JSON parsing")
struct JSONParsingTests {
    @Test("numbers keep their text, members their order, escapes resolve")
    func values() throws {
        let value = try JSONValue.parse(#" {"b": 1.50, "a": [true, null, -0, 1e400], "s": "\u00e9\ud83d\ude00\n"} "#)
        #expect(value == .object([
            ("b", .number("1.50")), ("a", .array([.bool(true), .null, .number("-0"), .number("1e400")])), ("s", .string("é😀\n")),
        ]))
    }

    @Test("a string of many escaped runs decodes whole: a query's text with a line break on every line")
    func manyEscapes() throws {
        let lines = (0..<200).map { "  field\($0) { id name }" }
        let text = "query Q {\n" + lines.joined(separator: "\n") + "\n}\t\"é\""
        let json = #"{"query": "# + JSONText.quoted(text) + "}"
        #expect(try JSONValue.parse(json) == .object([("query", .string(text))]))
    }

    @Test("invalid JSON is refused with the offset", arguments: [
        "", "{", #"{"a" 1}"#, "[1,]", "01", "1.", "+1", #""\x""#, #""\ud800""#, "tru", "[1] 2", "\"a\u{01}\"", "{'a': 1}",
    ])
    func invalid(text: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test("nesting is bounded")
    func depth() {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(String(repeating: "[", count: 100_000)) }
    }
}
