import Foundation
import SchemaModel

/// `strata init` run again on a table file that exists: the parts it generates from the catalog
/// (`table`, `primary_key`, `unique`, `columns`) are written anew — keeping the descriptions the
/// author gave columns the database has no comment for — relationships and computed fields the
/// database gained are added under the author's, and everything else the author wrote
/// (permissions, descriptions, names, renamed relationships, events, triggers, comments) stays
/// as it is, line for line.
struct TableFileMerge {
    /// A top-level key of a YAML file with its lines, the comments and blank lines before it included.
    struct Section {
        var key: String?
        var lines: [String]
    }

    static let generatedKeys: Set<String> = ["table", "primary_key", "unique", "columns"]

    /// The file's top-level sections in order. Comments and blank lines at the margin belong to
    /// the key after them; lines before the first key with nothing after form a section without one.
    static func sections(_ text: String) -> [Section] {
        var sections: [Section] = []
        var pending: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let match = line.firstMatch(of: #/^([A-Za-z_][A-Za-z0-9_]*)\s*:/#) {
                sections.append(Section(key: String(match.1), lines: pending + [line]))
                pending = []
            } else if line.isEmpty || line.hasPrefix("#") || sections.isEmpty {
                pending.append(line)
            } else {
                sections[sections.count - 1].lines += pending + [line]
                pending = []
            }
        }
        if !pending.isEmpty {
            if sections.isEmpty { sections.append(Section(key: nil, lines: pending)) } else { sections[sections.count - 1].lines += pending }
        }
        return sections
    }

    /// The comment and blank lines before a section's key line, and the rest.
    static func split(_ section: Section) -> (trivia: [String], body: [String]) {
        let index = section.lines.firstIndex { $0.firstMatch(of: #/^[A-Za-z_]/#) != nil } ?? 0
        return (Array(section.lines[..<index]), Array(section.lines[index...]))
    }

    /// The merged text and what changed, in words. `additive` (`strata check --fix`): nothing the
    /// file says is rewritten or removed; the columns, relationships and computed fields the
    /// database gained are added.
    static func merge(existing text: String, model: TableModel, generated: String, table: ProjectGenerator.Exposed,
                      relationships: [ProjectGenerator.Relationship], computed: [ProjectGenerator.ComputedField],
                      additive: Bool = false) -> (text: String, changes: [String]) {
        if additive { return add(to: text, model: model, generated: generated, table: table, relationships: relationships, computed: computed) }
        var changes: [String] = []
        let fresh = Dictionary(sections(generated).compactMap { section in section.key.map { ($0, section) } }, uniquingKeysWith: { first, _ in first })
        let existingColumns = Dictionary(model.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (column, type) in table.columns {
            if let old = existingColumns[column.name] {
                if old.type.sqlName != ColumnType(type)?.sqlName { changes.append("column \(column.name) is now \(type)") }
                if old.isNullable != !column.notNull, !table.live.isView { changes.append("column \(column.name) is now \(column.notNull ? "NOT NULL" : "nullable")") }
            } else {
                changes.append("column \(column.name) added")
            }
        }
        for name in model.columns.map(\.name) where !table.columns.contains(where: { $0.column.name == name }) {
            changes.append("column \(name) removed")
        }
        if model.primaryKey != table.primaryKey { changes.append("primary key is now (\(table.primaryKey.joined(separator: ", ")))") }

        // Relationships and computed fields the author does not have yet.
        var taken = Set(model.columns.map(\.name) + table.columns.map(\.column.name) + model.relationships.map(\.name) + model.computedFields.map(\.name))
        func unused(_ wanted: String) -> String {
            var name = wanted
            var suffix = 2
            while taken.contains(name) {
                name = "\(wanted)_\(suffix)"
                suffix += 1
            }
            taken.insert(name)
            return name
        }
        var addedRelationships: [String] = []
        for relationship in relationships where !model.relationships.contains(where: { known in
            known.kind.rawValue == relationship.kind && known.target == relationship.target
                && known.columnMapping.map { "\($0.source)=\($0.target)" } == relationship.mapping.map { "\($0.0)=\($0.1)" }
        }) {
            let name = unused(relationship.name)
            addedRelationships += ["  \(name):", "    \(relationship.kind): \(relationship.target)",
                                   "    columns: { \(relationship.mapping.map { "\($0.0): \($0.1)" }.joined(separator: ", ")) }"]
            changes.append("relationship \(name) added")
        }
        var addedFields: [String] = []
        for field in computed where !model.computedFields.contains(where: { "\($0.functionSchema).\($0.function)" == field.function }) {
            let name = unused(field.name)
            addedFields += ["  \(name):", "    function: \(field.function)", "    type: \(field.type)"]
            changes.append("computed field \(name) added")
        }

        var merged: [Section] = []
        var seen: Set<String> = []
        for section in sections(text) {
            guard let key = section.key else {
                merged.append(section)
                continue
            }
            seen.insert(key)
            switch key {
            case _ where generatedKeys.contains(key):
                // The author's comments above it stay; what follows the key is the catalog's.
                if let replacement = fresh[key] { merged.append(Section(key: key, lines: split(section).trivia + trimmed(split(replacement).body))) }
            case "relationships": merged.append(Section(key: key, lines: trimmed(section.lines) + addedRelationships))
            case "computed_fields": merged.append(Section(key: key, lines: trimmed(section.lines) + addedFields))
            default: merged.append(section)
            }
        }
        // Parts the file lacks: before its permissions, or at its end.
        var missing: [Section] = []
        for key in ["description", "primary_key", "unique", "columns"] where !seen.contains(key) {
            if let section = fresh[key] { missing.append(section) }
        }
        if !seen.contains("relationships"), !addedRelationships.isEmpty { missing.append(Section(key: "relationships", lines: ["relationships:"] + addedRelationships)) }
        if !seen.contains("computed_fields"), !addedFields.isEmpty { missing.append(Section(key: "computed_fields", lines: ["computed_fields:"] + addedFields)) }
        let at = merged.firstIndex { $0.key == "permissions" } ?? merged.count
        merged.insert(contentsOf: missing, at: at)
        var lines = merged.flatMap(\.lines)
        while lines.last == "" { lines.removeLast() }
        return (lines.joined(separator: "\n") + "\n", changes)
    }

    private static func add(to text: String, model: TableModel, generated: String, table: ProjectGenerator.Exposed,
                            relationships: [ProjectGenerator.Relationship], computed: [ProjectGenerator.ComputedField]) -> (text: String, changes: [String]) {
        let known = Set(model.columns.map(\.name))
        let generatedColumns = sections(generated).first { $0.key == "columns" }.map { entries(of: $0) } ?? []
        let served = Set(table.columns.map(\.column.name))
        let newColumns = generatedColumns.filter { !known.contains($0.name) && served.contains($0.name) }
        var changes = newColumns.map { "column \($0.name) added" }
        // The relationships and computed fields, as a full merge adds them, on the file with its columns as they are.
        let merged = merge(existing: text, model: model, generated: text, table: table, relationships: relationships, computed: computed)
        changes += merged.changes.filter { $0.hasPrefix("relationship ") || $0.hasPrefix("computed field ") }
        guard !newColumns.isEmpty else { return (merged.text, changes) }
        var result = sections(merged.text)
        if let index = result.firstIndex(where: { $0.key == "columns" }) {
            result[index].lines = trimmed(result[index].lines) + newColumns.flatMap(\.lines)
        }
        var lines = result.flatMap(\.lines)
        while lines.last == "" { lines.removeLast() }
        return (lines.joined(separator: "\n") + "\n", changes)
    }

    /// The entries of a mapping section (`  name:` and the lines indented under it).
    static func entries(of section: Section) -> [(name: String, lines: [String])] {
        var result: [(name: String, lines: [String])] = []
        for line in split(section).body.dropFirst() {
            if let match = line.firstMatch(of: #/^  ([A-Za-z_"][^:]*):/#) {
                result.append((String(match.1).trimmingCharacters(in: CharacterSet(charactersIn: "\"")), [line]))
            } else if !result.isEmpty {
                result[result.count - 1].lines.append(line)
            }
        }
        return result
    }

    /// A section's lines without the blank lines at its end.
    private static func trimmed(_ lines: [String]) -> [String] {
        var lines = lines
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines
    }
}
