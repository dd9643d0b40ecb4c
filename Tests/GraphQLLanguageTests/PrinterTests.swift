import Foundation
import Testing
@testable import GraphQLLanguage

@Suite("Printing")
struct PrinterTests {
    @Test("kitchen sinks print exactly as graphql-js prints them, and printing is stable",
          arguments: ["kitchen-sink", "schema-kitchen-sink"])
    func kitchenSink(name: String) throws {
        let input = try TestCases.text("print/\(name).graphql")
        let expected = try TestCases.text("print/\(name).expected.graphql")
        let printed = Printer.print(try Parser.parse(input, limits: .trusted))
        #expect(printed + "\n" == expected)
        #expect(Printer.print(try Parser.parse(printed, limits: .trusted)) == printed)
    }

    struct PrintCase: Decodable, Sendable, CustomStringConvertible {
        var input: String
        var printed: String
        var description: String { input }
    }

    static let stringCases: [PrintCase] = {
        let data = try! Data(contentsOf: TestCases.url("print-strings.json"))
        return try! JSONDecoder().decode([PrintCase].self, from: data)
    }()

    @Test("strings are escaped, block strings laid out as graphql-js does", arguments: stringCases)
    func strings(_ testCase: PrintCase) throws {
        #expect(Printer.print(try Parser.parse(testCase.input)) == testCase.printed)
    }

    @Test("long argument lists wrap one per line")
    func wrapping() throws {
        let input = "{ field(argumentNumberOne: 1, argumentNumberTwo: 2, argumentNumberThree: 3, four: 4) }"
        #expect(Printer.print(try Parser.parse(input)) == """
            {
              field(
                argumentNumberOne: 1
                argumentNumberTwo: 2
                argumentNumberThree: 3
                four: 4
              )
            }
            """)
    }
}
