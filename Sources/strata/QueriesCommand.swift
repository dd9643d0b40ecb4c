import APISchema
import ArgumentParser
import Foundation
import SchemaModel
import Server

struct QueriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries",
        abstract: "Check the trusted documents under queries/, or print their manifest.",
        discussion: """
            Every *.graphql file under --queries is one trusted document, named by the SHA-256 of its
            text. A first comment line '# roles: member, admin' names the roles that may run it; it
            must validate for each. Without one it must validate for at least one role, and is
            trusted for those it validates for. strata.yaml's trusted_documents (off, allow, require)
            says whether the server runs them by hash, and whether it runs anything else.
            """,
        subcommands: [QueriesCheckCommand.self, QueriesManifestCommand.self])
}

/// The options both subcommands take, and the documents they read.
struct QueriesOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory of the YAML schema, holding strata.yaml.", valueName: "dir"))
    var schema: String = "schema"

    @Option(name: .long, help: ArgumentHelp("Directory of the trusted documents (*.graphql).", valueName: "dir"))
    var queries: String = "queries"

    func documents() throws -> TrustedDocuments {
        let project = try SchemaFiles.load(schema)
        let apis = try RoleSchema.buildAll(project)
        switch TrustedDocuments.load(directory: queries, displayDirectory: queries, apis: apis) {
        case .success(let entries):
            return TrustedDocuments(mode: project.settings.trustedDocuments, entries: entries)
        case .failure(let problems):
            throw problems
        }
    }
}

struct QueriesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every trusted document against the roles that may run it.",
        discussion: "Prints each document's hash, path and roles; problems as file:line:column lines, and exits 1.")

    @OptionGroup var options: QueriesOptions

    func run() throws {
        let documents = try options.documents()
        for entry in documents.entries.values.sorted(by: { $0.path < $1.path }) {
            print("sha256:\(entry.id)  \(entry.path)  (\(entry.roles.joined(separator: ", ")))")
        }
        print("\(documents.entries.count) trusted document(s); trusted_documents: \(documents.mode.rawValue)")
    }
}

struct QueriesManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Print the trusted documents' manifest (Apollo's persisted-query manifest format) as JSON.")

    @OptionGroup var options: QueriesOptions

    func run() throws {
        print(try options.documents().manifest(), terminator: "")
    }
}
