import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation

// Reads a JSON array of {"name","body"} documents on standard input and prints how Strata
// answers each, for scripts/conformance-language to compare with the reference:
//   strata-conformance                 parse:    {"ok":true,"printed":…} or {"ok":false,"errors":[…]}
//   strata-conformance validate FILE   validate against the schema in FILE: {"ok":…,"errors":[…]}
//   strata-conformance schema          build each document as a schema (SDL): {"ok":…,"errors":[…]}

struct Document: Decodable {
    var name: String
    var body: String
}

struct Outcome: Encodable {
    struct Failure: Encodable {
        var message: String
        var line: Int
        var column: Int
        var locations: [[Int]]?
    }

    var name: String
    var ok: Bool
    var printed: String?
    var errors: [Failure]?
}

let arguments = CommandLine.arguments
let input = FileHandle.standardInput.readDataToEndOfFile()
let documents = try JSONDecoder().decode([Document].self, from: input)
var outcomes: [Outcome] = []

if arguments.count == 2, arguments[1] == "schema" {
    for document in documents {
        do {
            _ = try SchemaBuilder.build(sdl: document.body)
            outcomes.append(Outcome(name: document.name, ok: true))
        } catch {
            outcomes.append(Outcome(name: document.name, ok: false, errors: error.errors.map {
                Outcome.Failure(message: $0.message, line: $0.locations.first?.line ?? 0, column: $0.locations.first?.column ?? 0)
            }))
        }
    }
} else if arguments.count == 3, arguments[1] == "validate" {
    let sdl = try String(contentsOfFile: arguments[2], encoding: .utf8)
    let schema = try SchemaBuilder.build(sdl: sdl)
    for document in documents {
        do {
            let parsed = try Parser.parse(Source(document.body))
            let errors = Validator.validate(parsed, against: schema)
            outcomes.append(Outcome(name: document.name, ok: errors.isEmpty, errors: errors.map { error in
                Outcome.Failure(message: error.message, line: error.locations.first?.line ?? 0,
                                column: error.locations.first?.column ?? 0,
                                locations: error.locations.map { [$0.line, $0.column] })
            }))
        } catch {
            outcomes.append(Outcome(name: document.name, ok: false, errors: [
                Outcome.Failure(message: error.message, line: error.locations.first?.line ?? 0, column: error.locations.first?.column ?? 0),
            ]))
        }
    }
} else {
    for document in documents {
        do {
            let parsed = try Parser.parse(Source(document.body), limits: .trusted)
            outcomes.append(Outcome(name: document.name, ok: true, printed: Printer.print(parsed)))
        } catch {
            let failures = error.locations.map { Outcome.Failure(message: error.message, line: $0.line, column: $0.column) }
            outcomes.append(Outcome(name: document.name, ok: false, errors: failures))
        }
    }
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
FileHandle.standardOutput.write(try encoder.encode(outcomes))
