import Foundation
import Yams

/// Everything under `schema/`: the project settings from `strata.yaml` and one table per file in
/// `tables/`. Loading reports every problem in every file at once, each at its line and column.
public struct SchemaProject: Sendable {
    public var settings: ProjectSettings
    /// Tables in file-name order.
    public var tables: [TableModel]
    /// SQL functions exposed as root fields, in file-name order.
    public var functions: [FunctionModel] = []

    public init(settings: ProjectSettings, tables: [TableModel], functions: [FunctionModel] = []) {
        self.settings = settings
        self.tables = tables
        self.functions = functions
    }

    public func table(named name: String) -> TableModel? {
        tables.first { $0.name == name }
    }

    public var roleNames: [String] { settings.roles.map(\.name) }
    /// The PostgreSQL roles `strata migrate` makes sure exist: the served roles and the events role.
    public var provisionedRoles: [String] { roleNames + (settings.eventRole.map { [$0] } ?? []) }

    /// Loads `directory/strata.yaml`, `directory/tables/*.yaml` and `directory/functions/*.yaml`.
    public static func load(directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SchemaProject {
        var errors: [SchemaError] = []
        var settings = ProjectSettings()
        do {
            settings = try ProjectSettings.load(file: directory + "/strata.yaml", environment: environment)
        } catch let failure as SchemaErrors {
            errors += failure.errors
        }
        let files = yamlFiles(in: directory + "/tables", errors: &errors)
        let functionFiles = yamlFiles(in: directory + "/functions", errors: &errors)
        do {
            let project = try parse(settings: settings, files: files, functionFiles: functionFiles, environment: environment)
            guard errors.isEmpty else { throw SchemaErrors(errors) }
            return project
        } catch let failure as SchemaErrors {
            throw SchemaErrors(errors + failure.errors)
        }
    }

    /// The texts of the YAML files of a folder (none when it does not exist), by file name.
    static func yamlFiles(in folder: String, errors: inout [SchemaError]) -> [(path: String, text: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var files: [(path: String, text: String)] = []
        for name in names {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(SchemaError(file: path, line: 1, column: 1, message: "cannot be read as UTF-8 text"))
                continue
            }
            files.append((path, text))
        }
        return files
    }

    /// Each file's YAML read by `read`, which reports through the reader; syntax errors and
    /// empty files are reported here.
    static func compose<Value>(_ files: [(path: String, text: String)], describing what: String, environment: [String: String],
                               errors: inout [SchemaError], _ read: (Node, inout YAMLReader) -> Value?) -> [Value] {
        var values: [Value] = []
        for (path, text) in files {
            var reader = YAMLReader(file: path, environment: environment)
            do {
                guard let root = try Yams.compose(yaml: text) else {
                    errors.append(SchemaError(file: path, line: 1, column: 1, message: "the file is empty; describe one \(what)"))
                    continue
                }
                if let value = read(root, &reader) { values.append(value) }
                errors += reader.errors
            } catch let error as YamlError {
                errors.append(YAMLReader.syntaxError(error, file: path))
            } catch {
                errors.append(SchemaError(file: path, line: 1, column: 1, message: "cannot be read: \(error)"))
            }
        }
        return values
    }

    /// Builds the project from settings and the texts of table and function files (path, YAML).
    public static func parse(settings: ProjectSettings, files: [(path: String, text: String)],
                             functionFiles: [(path: String, text: String)] = [],
                             environment: [String: String] = [:]) throws -> SchemaProject {
        var errors: [SchemaError] = []
        let parsed: [TableFile] = compose(files, describing: "table", environment: environment, errors: &errors) { root, reader in
            reader.declaredTypes = settings.types
            return TableFile.read(root, reader: &reader)
        }
        var tables: [String: TableModel] = [:]
        var kept: [TableFile] = []
        for file in parsed {
            if let existing = tables[file.table.name] {
                errors.append(file.table.position.error(
                    "table API name '\(file.table.name)' is already used by \(existing.position); give one of them another 'name:'"))
                continue
            }
            tables[file.table.name] = file.table
            kept.append(file)
        }
        var result: [TableModel] = []
        for file in kept {
            var reader = YAMLReader(file: file.table.position.file, environment: environment)
            var table = file.table
            table.relationships = table.relationships.compactMap { resolve($0, of: table, node: file.relationshipNodes[$0.name],
                                                                         tables: tables, reader: &reader) }
            tables[table.name] = table
            result.append(table)
            errors += reader.errors
        }
        // Permissions and triggers read last: their filters and paths follow relationships to
        // other tables.
        for (index, file) in kept.enumerated() {
            var reader = YAMLReader(file: file.table.position.file, environment: environment)
            if let node = file.permissionsNode {
                result[index].permissions = reader.permissions(node, table: result[index], tables: tables, roles: settings.roles.map(\.name))
            }
            if let node = file.triggersNode {
                result[index].triggers = reader.triggers(node, table: result[index], tables: tables)
            }
            errors += reader.errors
        }
        let functions: [FunctionModel] = compose(functionFiles, describing: "function", environment: environment, errors: &errors) { root, reader in
            FunctionFile.read(root, reader: &reader, tables: tables, roles: settings.roles.map(\.name))
        }
        let project = SchemaProject(settings: settings, tables: result, functions: functions)
        errors += project.crossChecks()
        guard errors.isEmpty else {
            throw SchemaErrors(errors.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        }
        return project
    }

    /// A relationship's target table and column mapping, checked against both tables.
    static func resolve(_ relationship: RelationshipModel, of table: TableModel, node: Node?, tables: [String: TableModel],
                        reader: inout YAMLReader) -> RelationshipModel? {
        guard let target = tables[relationship.target] else {
            reader.fail(at: relationship.position, "relationship '\(relationship.name)' refers to unknown table '\(relationship.target)'"
                + NameSuggestion.hint(for: relationship.target, among: tables.keys.sorted()))
            return nil
        }
        guard let node else { return nil }
        var resolved = relationship
        for (source, key, value) in reader.entries(node, context: "columns of relationship '\(relationship.name)'") {
            guard let targetColumn = reader.string(value) else { continue }
            guard table.column(named: source) != nil else {
                reader.fail(key, "relationship '\(relationship.name)' maps unknown column '\(source)' of '\(table.name)'"
                    + NameSuggestion.hint(for: source, among: table.columns.map(\.name)))
                continue
            }
            guard let targetModel = target.column(named: targetColumn), let sourceModel = table.column(named: source) else {
                reader.fail(value, "relationship '\(relationship.name)' maps to unknown column '\(targetColumn)' of '\(target.name)'"
                    + NameSuggestion.hint(for: targetColumn, among: target.columns.map(\.name)))
                continue
            }
            resolved.columnMapping.append((source, targetColumn))
            resolved.sqlColumnMapping.append((sourceModel.sqlName, targetModel.sqlName))
        }
        return resolved.columnMapping.isEmpty ? nil : resolved
    }
}
