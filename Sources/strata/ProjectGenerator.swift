import Database
import Foundation
import SchemaModel

/// The YAML `strata init` writes for a database's catalog: `strata.yaml` and a table file per
/// table and view of the chosen PostgreSQL schemas — columns with their types, nullability and
/// comments, keys, relationships both ways from every foreign key, computed fields from the
/// functions taking a table's row, the tenant column a row-level-security policy compares with
/// a setting, and `admin` reading everything.
struct ProjectGenerator {
    /// The catalog with every column named as the API will name it: a column whose PostgreSQL
    /// name cannot be a GraphQL name goes by a mapped one (`First Name` → `first_name`) in its
    /// table, keys and foreign keys alike, so everything generated speaks of API names.
    let catalog: LiveCatalog
    let schemas: [String]
    /// The PostgreSQL names of the mapped columns, by `schema.table`, then API name.
    let sqlNames: [String: [String: String]]

    /// - Parameter known: the API names a project already gives mapped columns, by `schema.table`
    ///   then PostgreSQL name; kept on a re-run.
    init(catalog: LiveCatalog, schemas: [String], known: [String: [String: String]] = [:]) {
        var renamed = catalog
        var sqlNames: [String: [String: String]] = [:]
        for (key, table) in catalog.tables {
            var taken = Set(table.columns.map(\.name).filter(GraphQLNaming.isValid))
            var apiNames: [String: String] = [:]
            for column in table.columns where !GraphQLNaming.isValid(column.name) {
                let name = known[key]?[column.name] ?? GraphQLNaming.mapped(column.name, avoiding: taken)
                taken.insert(name)
                apiNames[column.name] = name
                sqlNames[key, default: [:]][name] = column.name
            }
            guard !apiNames.isEmpty else { continue }
            func api(_ names: [String]) -> [String] { names.map { apiNames[$0] ?? $0 } }
            renamed.tables[key]?.columns = table.columns.map { column in
                var column = column
                column.name = apiNames[column.name] ?? column.name
                return column
            }
            renamed.tables[key]?.primaryKey = api(table.primaryKey)
            renamed.tables[key]?.unique = table.unique.mapValues(api)
            renamed.tables[key]?.foreignKeys = table.foreignKeys.map { key in
                var key = key
                key.columns = api(key.columns)
                return key
            }
            for (otherKey, other) in catalog.tables {
                for (index, foreignKey) in other.foreignKeys.enumerated() where "\(foreignKey.targetSchema).\(foreignKey.targetTable)" == key {
                    renamed.tables[otherKey]?.foreignKeys[index].targetColumns = api(foreignKey.targetColumns)
                }
            }
        }
        self.catalog = renamed
        self.schemas = schemas
        self.sqlNames = sqlNames
    }

    /// A file to write, and what it could not say.
    struct File {
        var path: String
        var text: String
        var notes: [String] = []
        /// For a table file: what it was made of, to merge it into one that exists.
        var table: Exposed?
        var relationships: [Relationship] = []
        var computed: [ComputedField] = []
    }

    /// A table as the API will expose it.
    struct Exposed {
        var live: LiveCatalog.Table
        var name: String
        var primaryKey: [String]
        /// Whether the key was guessed (a view's `id`): the file says to check it.
        var guessedKey: Bool
        var columns: [(column: LiveCatalog.Column, type: String)]
        var left: [String]
        /// The PostgreSQL names of its mapped columns, by API name.
        var sqlNames: [String: String] = [:]
    }

    /// The tables and views exposed, by API name, with what was left out and why.
    func exposed() -> (tables: [Exposed], notes: [String]) {
        var notes: [String] = []
        let candidates = catalog.tables.values
            .filter { schemas.contains($0.schema) && !$0.isPartition }
            .sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
        let clashing = Dictionary(grouping: candidates, by: \.name).filter { $0.value.count > 1 }.keys
        var result: [Exposed] = []
        var used: Set<String> = []
        for live in candidates {
            let qualified = "\(live.schema).\(live.name)"
            let wanted = clashing.contains(live.name) ? "\(live.schema)_\(live.name)" : live.name
            let name = GraphQLNaming.isValid(wanted) && !used.contains(wanted) ? wanted : GraphQLNaming.mapped(wanted, avoiding: used)
            used.insert(name)
            var columns: [(LiveCatalog.Column, String)] = []
            var left: [String] = []
            for column in live.columns {
                guard let type = Self.writtenType(column.type) ?? declaredType(column.type)?.name ?? declaredArray(column.type) else {
                    left.append("\(column.name): \(column.type) is not a type Strata serves yet")
                    continue
                }
                columns.append((column, type))
            }
            let served = Set(columns.map(\.0.name))
            var key = live.primaryKey
            var guessed = false
            if key.isEmpty {
                if let unique = live.unique.sorted(by: { $0.key < $1.key }).map(\.value).first(where: { columns in
                    columns.allSatisfy { live.column(named: $0)?.notNull == true }
                }) {
                    key = unique
                } else if live.isView, served.contains("id") {
                    key = ["id"]
                    guessed = true
                }
            }
            guard !key.isEmpty, key.allSatisfy(served.contains) else {
                notes.append("\(qualified): left out, it has no key Strata can serve (give it a primary key, or write its file by hand)")
                continue
            }
            result.append(Exposed(live: live, name: name, primaryKey: key, guessedKey: guessed, columns: columns, left: left,
                                  sqlNames: sqlNames["\(live.schema).\(live.name)"] ?? [:]))
        }
        return (result, notes)
    }

    /// The setting row-level-security policies compare a column with, and per table that column.
    func tenancy(of tables: [Exposed]) -> (setting: String?, columns: [String: String]) {
        var settings: [String: Int] = [:]
        var columns: [String: String] = [:]
        for table in tables {
            for expression in table.live.policyExpressions {
                guard let (column, setting) = tenantComparison(expression), table.columns.contains(where: { $0.column.name == column }) else { continue }
                columns[table.name] = column
                settings[setting, default: 0] += 1
            }
        }
        return (settings.max { $0.value < $1.value }?.key, columns)
    }

    /// `tenant_id = current_setting('app.tenant_id')…`, directly or through a function reading it.
    func tenantComparison(_ expression: String) -> (column: String, setting: String)? {
        guard let match = expression.firstMatch(of: #/^\(*([A-Za-z_][A-Za-z0-9_]*) = (.+)$/#) else { return nil }
        let (column, compared) = (String(match.1), String(match.2))
        if let setting = Self.settingRead(in: compared) { return (column, setting) }
        for function in catalog.functions where compared.contains("\(function.name)(") {
            if let setting = Self.settingRead(in: function.source) { return (column, setting) }
        }
        return nil
    }

    static func settingRead(in text: String) -> String? {
        text.firstMatch(of: #/current_setting\('([A-Za-z0-9_.]+)'/#).map { String($0.1) }
    }

    /// An enum or a domain of the catalog by the name `format_type` gives it (without its schema
    /// when that is on the search path), as strata.yaml declares it; nil when it is neither, or
    /// a domain over a type Strata does not serve.
    func declaredType(_ formatted: String) -> DeclaredType? {
        let key = formatted.contains(".") ? formatted : "public.\(formatted)"
        let position = SourcePosition(file: "strata.yaml", line: 1, column: 1)
        if let labels = catalog.enums[key] {
            return DeclaredType(name: formatted, kind: .enumeration(labels), asScalar: !labels.allSatisfy(DeclaredType.isEnumValue), position: position)
        }
        if let base = catalog.domains[key], let written = Self.writtenType(base), let type = ColumnType(written) {
            return DeclaredType(name: formatted, kind: .domain(type), position: position)
        }
        return nil
    }

    /// An array of an enum or domain as a column's type (`library.format[]`); nil for others.
    func declaredArray(_ formatted: String) -> String? {
        guard formatted.hasSuffix("[]"), let element = declaredType(String(formatted.dropLast(2))),
              ColumnType(arrayOf: ColumnType(declared: element)) != nil else { return nil }
        return element.name + "[]"
    }

    /// The declared types the exposed columns use, by name.
    func declaredTypes(of tables: [Exposed]) -> [String: DeclaredType] {
        var types: [String: DeclaredType] = [:]
        for table in tables {
            for (column, _) in table.columns where Self.writtenType(column.type) == nil {
                if let declared = declaredType(column.type) ?? (column.type.hasSuffix("[]") ? declaredType(String(column.type.dropLast(2))) : nil) {
                    types[declared.name] = declared
                }
            }
        }
        return types
    }

    /// The type as a schema author writes it (`timestamptz`, `varchar(80)`), or nil when
    /// Strata does not serve it.
    static func writtenType(_ formatted: String) -> String? {
        guard ColumnType(formatted) != nil else { return nil }
        let short = [("timestamp with time zone", "timestamptz"), ("timestamp without time zone", "timestamp"),
                     ("time without time zone", "time"), ("character varying", "varchar")]
        for (long, written) in short where formatted.hasPrefix(long) {
            return written + formatted.dropFirst(long.count)
        }
        return formatted
    }
}
