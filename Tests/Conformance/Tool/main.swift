import Foundation
import GraphQLLanguage

// Reads a JSON array of {"name","body"} documents on standard input and prints, for each, how
// Strata's parser answers: {"ok":true,"printed":…} or {"ok":false,"errors":[{message,line,column}]}.
// scripts/conformance-language compares this with graphql-js on the same corpus.

struct Document: Decodable {
    var name: String
    var body: String
}

struct Outcome: Encodable {
    struct Failure: Encodable {
        var message: String
        var line: Int
        var column: Int
    }

    var name: String
    var ok: Bool
    var printed: String?
    var errors: [Failure]?
}

let input = FileHandle.standardInput.readDataToEndOfFile()
let documents = try JSONDecoder().decode([Document].self, from: input)
var outcomes: [Outcome] = []
for document in documents {
    do {
        let parsed = try Parser.parse(Source(document.body), limits: .trusted)
        outcomes.append(Outcome(name: document.name, ok: true, printed: Printer.print(parsed)))
    } catch {
        let failures = error.locations.map { Outcome.Failure(message: error.message, line: $0.line, column: $0.column) }
        outcomes.append(Outcome(name: document.name, ok: false, errors: failures))
    }
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
FileHandle.standardOutput.write(try encoder.encode(outcomes))
