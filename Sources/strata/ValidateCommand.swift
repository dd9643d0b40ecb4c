import ArgumentParser
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a GraphQL document against a schema written in SDL.",
        discussion: """
            Applies every validation rule of the GraphQL specification (September 2025). Prints OK
            and exits 0, or prints {"errors":[{"message":…,"locations":[{"line":…,"column":…}]}]}
            on standard output and exits 1. Syntax errors in either file, and problems in the
            schema itself, are reported the same way.
            """)

    @Option(name: .long, help: ArgumentHelp("The schema, in SDL.", valueName: "schema.graphql"))
    var sdl: String

    @Option(name: .long, help: ArgumentHelp("Also require the document to define this operation.", valueName: "name"))
    var operation: String?

    @ArgumentParser.Argument(help: ArgumentHelp("The document to validate; - reads standard input.", valueName: "query.graphql"))
    var file: String

    func run() throws {
        let schemaSource = try GraphQLFile.read(sdl)
        let documentSource = try GraphQLFile.read(file)
        let schema: GraphQLSchema
        do {
            schema = try SchemaBuilder.build(Parser.parse(schemaSource, limits: .trusted))
        } catch let error as GraphQLErrors {
            try fail(error.errors)
        } catch let error as GraphQLError {
            try fail([error])
        }
        let document: Document
        do {
            document = try Parser.parse(documentSource)
        } catch {
            try fail([error])
        }
        var errors = Validator.validate(document, against: schema)
        if let operation, !document.operations.contains(where: { $0.name?.value == operation }) {
            errors.append(GraphQLError("Unknown operation named \"\(operation)\"."))
        }
        guard errors.isEmpty else { try fail(errors) }
        print("OK")
    }

    func fail(_ errors: [GraphQLError]) throws -> Never {
        print(GraphQLError.responseBody(errors))
        throw ExitCode.failure
    }
}
