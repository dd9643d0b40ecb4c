import APISchema
import ArgumentParser
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import SchemaModel

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Show the GraphQL API the YAML schema describes.",
        subcommands: [SchemaPrintCommand.self, SchemaIntrospectCommand.self])
}

struct SchemaPrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a role's GraphQL API as SDL, or as the introspection result codegen tools read.",
        discussion: """
            Loads the YAML under --schema and prints the schema the role sees: only the tables,
            columns, relationships and operations its permissions allow. Without --role, prints
            every role's schema, each after a '# role: NAME' line. With --format json, prints the
            role's introspection result ({"data": {"__schema": …}}, the schema.json of GraphQL
            Code Generator, Apollo and Relay), also for a role whose YAML turns introspection off.
            Problems in the YAML are printed as file:line:column lines and the command exits 1.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case sdl, json
    }

    @Option(name: .long, help: ArgumentHelp("Directory of the YAML schema, holding strata.yaml.", valueName: "dir"))
    var schema: String = "schema"

    @Option(name: .long, help: ArgumentHelp("The role whose API to print.", valueName: "role"))
    var role: String?

    @Option(name: .long, help: ArgumentHelp("sdl (the default) or json (the introspection result; needs --role).", valueName: "format"))
    var format: Format = .sdl

    func run() throws {
        let project = try SchemaFiles.load(schema)
        if format == .json {
            guard let role else { throw ValidationError("--format json prints one role's schema: add --role (\(project.roleNames.joined(separator: ", ")))") }
            guard project.roleNames.contains(role) else {
                throw ValidationError("unknown role '\(role)'; the roles are: \(project.roleNames.joined(separator: ", "))")
            }
            let api = try SchemaFiles.api(project, role: role)
            switch IntrospectionRequest.answer(Source(Introspection.standardQuery), api: api, variables: [:], author: true) {
            case .success(let data): print(#"{"data":"# + data.serialized + "}")
            case .failure(let errors): throw ValidationError(errors.errors.map(\.message).joined(separator: "; "))
            }
            return
        }
        let roles = role.map { [$0] } ?? project.roleNames
        for name in roles {
            guard project.roleNames.contains(name) else {
                throw ValidationError("unknown role '\(name)'; the roles are: \(project.roleNames.joined(separator: ", "))")
            }
            let api = try SchemaFiles.api(project, role: name)
            if role == nil { print("# role: \(name)\n") }
            print(api.sdl, terminator: "")
            if role == nil && name != roles.last { print() }
        }
    }
}

struct SchemaIntrospectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "introspect",
        abstract: "Answer an introspection query as a role, without a server.",
        discussion: """
            Validates the query (by default the full introspection query tools send) against the
            role's API and prints {"data": …} as the server answers it, or {"errors": […]} and
            exits 1 — also when the role's YAML disables introspection.
            """)

    @Option(name: .long, help: ArgumentHelp("Directory of the YAML schema, holding strata.yaml.", valueName: "dir"))
    var schema: String = "schema"

    @Option(name: .long, help: ArgumentHelp("The role asking.", valueName: "role"))
    var role: String

    @Option(name: .long, help: ArgumentHelp("A file holding the query; - reads standard input.", valueName: "file"))
    var query: String?

    @Option(name: .long, help: ArgumentHelp("Variables, as a JSON object.", valueName: "json"))
    var variables: String?

    func run() throws {
        let project = try SchemaFiles.load(schema)
        guard project.roleNames.contains(role) else {
            throw ValidationError("unknown role '\(role)'; the roles are: \(project.roleNames.joined(separator: ", "))")
        }
        let api = try SchemaFiles.api(project, role: role)
        let source = try query.map { try GraphQLFile.read($0) } ?? Source(Introspection.standardQuery)
        var inputs: [String: JSONValue] = [:]
        if let variables {
            guard case .object(let members)? = try? JSONValue.parse(variables) else {
                throw ValidationError("--variables must be a JSON object")
            }
            inputs = Dictionary(members) { first, _ in first }
        }
        switch IntrospectionRequest.answer(source, api: api, variables: inputs) {
        case .success(let data):
            print(#"{"data":"# + data.serialized + "}")
        case .failure(let errors):
            print(GraphQLError.responseBody(errors.errors))
            throw ExitCode.failure
        }
    }
}

/// Loading the YAML schema for commands, with its problems printed as the author's editor expects.
enum SchemaFiles {
    static func load(_ directory: String) throws -> SchemaProject {
        do {
            return try SchemaProject.load(directory: directory)
        } catch let failure as SchemaErrors {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            throw ExitCode.failure
        }
    }

    static func api(_ project: SchemaProject, role: String) throws -> RoleSchema {
        do {
            return try RoleSchema.build(project, role: role)
        } catch {
            FileHandle.standardError.write(Data("the API of role '\(role)' is not a valid schema:\n\(error.errors.map(\.message).joined(separator: "\n"))\n".utf8))
            throw ExitCode.failure
        }
    }
}
