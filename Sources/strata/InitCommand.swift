import ArgumentParser
import Database
import Foundation
import Logging
import PostgresNIO
import SchemaModel

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the YAML schema of an existing database: strata.yaml and a file per table and view.",
        discussion: """
            Reads the catalog once and writes <dir>/schema/strata.yaml and <dir>/schema/tables/<name>.yaml:
            columns with their types, nullability and comments, keys, object and array relationships
            from every foreign key, computed fields from functions taking a table's row, the tenant
            column a row-level-security policy compares with a setting, and select for the admin role.
            Run again on a changed database, it updates what it generates in each table file (the
            table, keys and columns; relationships and computed fields the database gained are added)
            and keeps what the author wrote: permissions, descriptions, renamed relationships, events,
            triggers and comments. strata.yaml is left as it is. Prints what it wrote, changed and left out.
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
        let root = (dir as NSString).appendingPathComponent("schema")
        let manager = FileManager.default
        // Run again: the files there are read first, so what their authors wrote is kept.
        var existing: [String: TableModel] = [:]
        if manager.fileExists(atPath: root + "/strata.yaml") {
            let project: SchemaProject
            do {
                project = try SchemaProject.load(directory: root)
            } catch let errors as SchemaErrors {
                throw UsageError(message: "the YAML under \(root) has errors; fix them, then run strata init again:\n"
                    + errors.errors.map { "  \($0)" }.joined(separator: "\n"))
            }
            existing = Dictionary(project.tables.map { ("\($0.schema).\($0.table)", $0) }, uniquingKeysWith: { first, _ in first })
        }
        let known = existing.mapValues { table in
            Dictionary(table.columns.filter { $0.sqlName != $0.name }.map { ($0.sqlName, $0.name) }, uniquingKeysWith: { first, _ in first })
        }
        let generator = ProjectGenerator(catalog: catalog, schemas: schemas.isEmpty ? ["public"] : schemas, known: known)
        let descriptions = existing.mapValues { table in
            Dictionary(table.columns.compactMap { column in column.description.map { (column.name, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        let (files, notes) = generator.files(keeping: descriptions)
        try manager.createDirectory(atPath: root + "/tables", withIntermediateDirectories: true)
        var written = 0, updated = 0
        var described: Set<String> = []
        for file in files {
            var path = root + "/" + file.path
            let text = file.text
            if let table = file.table, let model = existing["\(table.live.schema).\(table.live.name)"] {
                described.insert("\(table.live.schema).\(table.live.name)")
                path = model.position.file  // the file it was read from, under root/tables
                guard let old = manager.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                let merge = TableFileMerge.merge(existing: old, model: model, generated: text, table: table,
                                                 relationships: file.relationships, computed: file.computed)
                guard merge.text != old else {
                    print("unchanged \(path)")
                    continue
                }
                try merge.text.write(toFile: path, atomically: true, encoding: .utf8)
                print("updated \(path): " + (merge.changes.isEmpty ? "layout" : merge.changes.joined(separator: "; ")))
                updated += 1
                continue
            }
            if manager.fileExists(atPath: path) {
                print("kept \(path) (it exists)")
                continue
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
            written += 1
            for note in file.notes { print("  note: \(note)") }
        }
        for gone in existing.keys.sorted() where !described.contains(gone) && generator.schemas.contains(String(gone.prefix { $0 != "." })) {
            print("note: \(gone) is no longer in the database; its file is left as it is (strata check will say so)")
        }
        for note in notes { print("note: \(note)") }
        // Migrations of the project's own go here; `strata migrate` wants the folder, even empty.
        try manager.createDirectory(atPath: (dir as NSString).appendingPathComponent("migrations"), withIntermediateDirectories: true)
        print("\(written) file(s) written, \(updated) updated, for \(files.count - 1) table(s) and view(s). Next: strata check --schema \(root), then strata dev.")
    }
}
