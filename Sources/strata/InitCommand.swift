import ArgumentParser
import Database
import Foundation
import Logging
import PostgresNIO

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the YAML schema of an existing database: strata.yaml and a file per table and view.",
        discussion: """
            Reads the catalog once and writes <dir>/schema/strata.yaml and <dir>/schema/tables/<name>.yaml:
            columns with their types, nullability and comments, keys, object and array relationships
            from every foreign key, computed fields from functions taking a table's row, the tenant
            column a row-level-security policy compares with a setting, and select for the admin role.
            Files that exist are left as they are. Prints what it wrote and what it left out.
            """)

    @Option(name: .long, help: ArgumentHelp("PostgreSQL URL of the database to describe (env: DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("schema"), help: ArgumentHelp("A PostgreSQL schema to describe; repeatable (default: public).", valueName: "name"))
    var schemas: [String] = []

    @Option(name: .long, help: ArgumentHelp("The project directory; the YAML goes under <dir>/schema.", valueName: "dir"))
    var dir: String = "."

    func run() async throws {
        let logger = Logger(label: "strata")
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw UsageError(message: "strata init needs the database: --database-url postgres://… (or DATABASE_URL)")
        }
        let endpoint: DatabaseEndpoint
        do {
            endpoint = try DatabaseEndpoint(url: url)
        } catch let error as DatabaseConfigurationError {
            throw UsageError(message: error.description)
        }
        let catalog: LiveCatalog
        do {
            catalog = try await endpoint.withConnection(logger: logger) { try await LiveCatalog.read($0, logger: logger) }
        } catch let error as PSQLError {
            throw DatabaseFailure(error, connecting: endpoint)
        }
        let generator = ProjectGenerator(catalog: catalog, schemas: schemas.isEmpty ? ["public"] : schemas)
        let (files, notes) = generator.files()
        let root = (dir as NSString).appendingPathComponent("schema")
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/tables", withIntermediateDirectories: true)
        var written = 0
        for file in files {
            let path = root + "/" + file.path
            if manager.fileExists(atPath: path) {
                print("kept \(path) (it exists)")
                continue
            }
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
            written += 1
            for note in file.notes { print("  note: \(note)") }
        }
        for note in notes { print("note: \(note)") }
        // Migrations of the project's own go here; `strata migrate` wants the folder, even empty.
        try manager.createDirectory(atPath: (dir as NSString).appendingPathComponent("migrations"), withIntermediateDirectories: true)
        print("\(written) file(s) written for \(files.count - 1) table(s) and view(s). Next: strata check --schema \(root), then strata dev.")
    }
}
