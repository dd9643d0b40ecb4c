import ArgumentParser
import Foundation
import GraphQLLanguage

struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Print a GraphQL document (operations or SDL) in canonical form.",
        discussion: """
            Prints the formatted document on standard output and exits 0. A syntax error prints
            {"errors":[{"message":…,"locations":[{"line":…,"column":…}]}]} on standard output
            and exits 1.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The GraphQL file to format; - reads standard input.", valueName: "file"))
    var file: String

    func run() throws {
        let source = try GraphQLFile.read(file)
        do {
            let document = try Parser.parse(source, limits: .trusted)
            print(Printer.print(document))
        } catch {
            print(GraphQLError.responseBody([error]))
            throw ExitCode.failure
        }
    }
}

/// Reads GraphQL documents named on the command line.
enum GraphQLFile {
    static func read(_ path: String) throws -> Source {
        if path == "-" {
            return Source(bytes: Array(FileHandle.standardInput.readDataToEndOfFile()), name: "<stdin>")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError(message: "cannot read \(path): no such file, or not readable")
        }
        return Source(bytes: Array(data), name: path)
    }
}
