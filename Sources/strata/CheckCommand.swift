import ArgumentParser
import Database
import Foundation
import Logging
import SchemaModel

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the YAML schema against the live database.",
        discussion: """
            Loads the YAML, connects to the database and verifies every table, column, type,
            nullability, key, relationship (backed by a foreign key) and computed-field function;
            that every tenant table has row-level security enabled and forced; and that every role
            exists, may be assumed by strata_authenticator and is granted the columns, tables and
            functions its permissions use. --fix writes the YAML for drift that only adds (new columns,
            and relationships both ways from foreign keys on them), then checks again. Prints each
            mismatch as file:line:column and exits 1, or prints OK and exits 0. Notes follow for
            tables a role may read but not subscribe to (their writes are not all captured).
            """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Write the YAML for drift that only adds: columns the database gained, and relationships from the foreign keys on them. Then check again.")
    var fix = false

    func run() async throws {
        var schema = try SchemaFiles.load(project.schema)
        let logger = Logger(label: "strata")
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let check: SchemaCheck
        do {
            check = try await SchemaCheck.reading(schema, through: connections.owner, logger: logger)
            await connections.close(logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
        var mismatches = check.mismatches()
        if fix, try applyFixes(schema, check.catalog) > 0 {
            schema = try SchemaFiles.load(project.schema)
            mismatches = SchemaCheck(project: schema, catalog: check.catalog).mismatches()
        }
        guard mismatches.isEmpty else {
            print(mismatches.map(\.description).joined(separator: "\n"))
            throw ExitCode.failure
        }
        print("OK: \(schema.tables.count) tables match the database.")
        for gap in SubscriptionCoverage.gaps(in: schema) { print(gap) }
    }

    /// Adds to each table file what the database gained; returns how many files changed.
    private func applyFixes(_ schema: SchemaProject, _ catalog: LiveCatalog) throws -> Int {
        let schemas = Array(Set(schema.tables.map(\.schema))).sorted()
        let known = Dictionary(schema.tables.map { table in
            ("\(table.schema).\(table.table)", Dictionary(table.columns.filter { $0.sqlName != $0.name }.map { ($0.sqlName, $0.name) },
                                                         uniquingKeysWith: { first, _ in first }))
        }, uniquingKeysWith: { first, _ in first })
        let generator = ProjectGenerator(catalog: catalog, schemas: schemas, known: known)
        let (files, _) = generator.files()
        let models = Dictionary(schema.tables.map { ("\($0.schema).\($0.table)", $0) }, uniquingKeysWith: { first, _ in first })
        // Relationships may only lead to tables the YAML has, under the names it gives them, and
        // come only from foreign keys on the columns added now: one on a column the YAML has was
        // left out by its author.
        var apiNames: [String: String] = [:]
        var added: [String: Set<String>] = [:]
        for file in files {
            guard let table = file.table, let model = models["\(table.live.schema).\(table.live.name)"] else { continue }
            apiNames[table.name] = model.name
            added[table.name] = Set(table.columns.map(\.column.name).filter { model.column(named: $0) == nil })
        }
        var fixed = 0
        for file in files {
            guard let table = file.table, let model = models["\(table.live.schema).\(table.live.name)"],
                  let old = FileManager.default.contents(atPath: model.position.file).map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            // A column of an enum or domain strata.yaml does not declare yet is left for the author.
            var served = table
            served.columns = table.columns.filter { column in
                let known = ColumnType(column.type) != nil || schema.settings.types[column.type] != nil || model.column(named: column.column.name) != nil
                if !known { print("note: \(model.position.file): column \(column.column.name) is of type \(column.type); declare it under types: in strata.yaml to serve it") }
                return known
            }
            let relationships = file.relationships.compactMap { relationship -> ProjectGenerator.Relationship? in
                guard let target = apiNames[relationship.target] else { return nil }
                let (holder, keyColumns) = relationship.kind == "object" ? (table.name, relationship.mapping.map(\.0)) : (relationship.target, relationship.mapping.map(\.1))
                guard keyColumns.allSatisfy({ added[holder]?.contains($0) ?? false }) else { return nil }
                var renamed = relationship
                renamed.target = target
                return renamed
            }
            let merge = TableFileMerge.merge(existing: old, model: model, generated: file.text, table: served,
                                             relationships: relationships, computed: [], additive: true)
            guard merge.text != old, !merge.changes.isEmpty else { continue }
            try merge.text.write(toFile: model.position.file, atomically: true, encoding: .utf8)
            print("fixed \(model.position.file): \(merge.changes.joined(separator: "; "))")
            fixed += 1
        }
        return fixed
    }
}
