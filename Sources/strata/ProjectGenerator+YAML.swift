import Database
import GraphQLLanguage
import SchemaModel

/// The files `strata init` writes, as YAML text.
extension ProjectGenerator {
    /// `strata.yaml` and `tables/<name>.yaml` for every exposed table, with notes on what was left out.
    func files(keeping descriptions: [String: [String: String]] = [:]) -> (files: [File], notes: [String]) {
        let (tables, notes) = exposed()
        let computed = computedFields(of: tables)
        let relationships = relationships(of: tables, computed: computed)
        let tenancy = tenancy(of: tables)
        var files = [File(path: "strata.yaml", text: settings(tenantSetting: tenancy.setting, types: declaredTypes(of: tables)))]
        for table in tables {
            let qualified = "\(table.live.schema).\(table.live.name)"
            files.append(File(path: "tables/\(table.name).yaml",
                              text: tableFile(table, tenantColumn: tenancy.setting == nil ? nil : tenancy.columns[table.name],
                                              relationships: relationships[table.name] ?? [], computed: computed[table.name] ?? [],
                                              descriptions: descriptions[qualified] ?? [:]),
                              notes: table.left.map { "\(qualified).\($0): left out" }, table: table,
                              relationships: relationships[table.name] ?? [], computed: computed[table.name] ?? []))
        }
        return (files, notes)
    }

    func settings(tenantSetting: String?, types: [String: DeclaredType] = [:]) -> String {
        var lines = [
            "# Written by strata init. Any value may use ${NAME} or ${NAME:-default} from the environment.",
            "",
            "database:",
            "  # A postgres:// URL. Empty: Strata runs its own PostgreSQL under --data-dir (default .strata).",
            "  url: ${DATABASE_URL:-}",
            "",
            "auth:",
            "  jwt:",
            "    algorithms: [HS256]",
            "    # The HS256 secret; `strata dev` generates one under its data directory when this is empty.",
            "    secret: ${STRATA_JWT_SECRET:-}",
            "  claims:",
            "    role: role",
        ]
        if tenantSetting != nil { lines.append("    tenant_id: tenant_id") }
        lines += [
            "    user_id: sub",
            "  default_role: admin",
            "",
            "# The roles the API serves; what each may do is under permissions: in tables/*.yaml.",
            "# strata migrate creates each role that PostgreSQL lacks; grants are yours to write.",
            "roles:",
            "  admin: {}",
        ]
        if let tenantSetting {
            lines += ["", "# Row-level security compares each tenant table's tenant column with this setting.", "tenancy:",
                      "  setting: \(Self.scalar(tenantSetting))"]
        }
        if !types.isEmpty {
            lines += ["", "# The database's enums and domains the columns use."]
            lines.append("types:")
            for declared in types.values.sorted(by: { $0.name < $1.name }) {
                switch declared.kind {
                case .enumeration(let labels):
                    let list = labels.map { DeclaredType.isEnumValue($0) ? $0 : Self.quoted($0) }.joined(separator: ", ")
                    lines.append("  \(declared.name): { enum: [\(list)]\(declared.asScalar ? ", as_scalar: true" : "") }")
                case .domain(let base):
                    lines.append("  \(declared.name): { domain: \(Self.writtenType(base.sqlName) ?? base.sqlName) }")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// - Parameter descriptions: column descriptions an author wrote, kept where the database has no comment.
    func tableFile(_ table: Exposed, tenantColumn: String?, relationships: [Relationship], computed: [ComputedField],
                   descriptions: [String: String] = [:]) -> String {
        let live = table.live
        var lines = ["# Written by strata init from \(live.schema).\(live.name)\(live.isView ? ", a view (read-only)" : "")."]
        let sqlName = [live.schema, live.name].map { GraphQLNaming.isValid($0) ? $0 : TableModel.quoted($0) }.joined(separator: ".")
        lines.append("table: \(sqlName.contains("\"") ? Self.quoted(sqlName) : sqlName)")
        if table.name != live.name { lines.append("name: \(table.name)") }
        if let comment = live.comment { lines.append("description: \(Self.quoted(comment))") }
        if table.guessedKey { lines.append("# A view has no key of its own: check that these columns identify its rows.") }
        lines.append("primary_key: [\(table.primaryKey.joined(separator: ", "))]")
        if let tenantColumn { lines.append("tenant_column: \(tenantColumn)") }
        let served = Set(table.columns.map(\.column.name))
        let unique = live.unique.filter { $0.value.allSatisfy(served.contains) && $0.value != table.primaryKey }.sorted { $0.key < $1.key }
        if !unique.isEmpty {
            lines.append("unique:")
            for (name, columns) in unique { lines.append("  \(Self.scalar(name)): [\(columns.joined(separator: ", "))]") }
        }
        lines.append("columns:")
        for (column, type) in table.columns {
            let nullable = !column.notNull && !(live.isView && table.primaryKey.contains(column.name))
            let description = column.comment ?? descriptions[column.name]
            let sqlName = table.sqlNames[column.name]
            if !nullable && description == nil && sqlName == nil {
                lines.append("  \(Self.scalar(column.name)): \(type)")
                continue
            }
            lines.append("  \(Self.scalar(column.name)):")
            if let sqlName { lines.append("    column: \(Self.quoted(sqlName))") }
            lines.append("    type: \(type)")
            if nullable { lines.append("    nullable: true") }
            if let description { lines.append("    description: \(Self.quoted(description))") }
        }
        for left in table.left { lines.append("  # \(left): left out") }
        if !relationships.isEmpty {
            lines.append("relationships:")
            for relationship in relationships {
                lines.append("  \(relationship.name):")
                lines.append("    \(relationship.kind): \(relationship.target)")
                lines.append("    columns: { \(relationship.mapping.map { "\($0.0): \($0.1)" }.joined(separator: ", ")) }")
            }
        }
        if !computed.isEmpty {
            lines.append("computed_fields:")
            for field in computed {
                lines.append("  \(field.name):")
                lines.append("    function: \(field.function)")
                lines.append("    type: \(field.type)")
                if let comment = field.comment { lines.append("    description: \(Self.quoted(comment))") }
            }
        }
        lines += [
            "permissions:",
            "  admin:",
            "    select:",
            "      columns: \"*\"",
            "      aggregates: true",
            "  # Other roles see nothing of this table until you say what they may do, e.g.:",
            "  # member:",
            "  #   select:",
            "  #     columns: [\(table.columns.prefix(3).map(\.column.name).joined(separator: ", "))]",
        ]
        if let tenantColumn, !live.isView {
            lines += ["  #   insert:", "  #     columns: [\(table.columns.filter { $0.column.name != tenantColumn }.prefix(2).map(\.column.name).joined(separator: ", "))]"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A name as a YAML key or value: plain unless YAML would read it as something else.
    static func scalar(_ text: String) -> String {
        let special: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]
        return special.contains(text.lowercased()) ? quoted(text) : text
    }

    /// A double-quoted YAML string: JSON's escapes, which YAML reads alike, and DEL and the C1
    /// controls escaped too (YAML does not allow them as they are).
    static func quoted(_ text: String) -> String {
        var result = ""
        for scalar in JSONText.quoted(text).unicodeScalars {
            if scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                result += "\\u00" + String(scalar.value, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
