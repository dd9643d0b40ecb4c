import Database

/// Relationships and computed fields `strata init` derives from the catalog.
extension ProjectGenerator {
    struct Relationship {
        var name: String
        var kind: String
        var target: String
        var mapping: [(String, String)]
    }

    struct ComputedField {
        var name: String
        var function: String
        var type: String
        var comment: String?
    }

    /// Every foreign key between exposed tables, as an object relationship on the table holding
    /// it and an array relationship on the table it references. Names: the column without `_id`
    /// (`project_id` → `project`) or the target's singular, and the referencing table's name;
    /// made unique against the table's columns, computed fields and other relationships.
    func relationships(of tables: [Exposed], computed: [String: [ComputedField]]) -> [String: [Relationship]] {
        let byQualified = Dictionary(tables.map { ("\($0.live.schema).\($0.live.name)", $0) }, uniquingKeysWith: { first, _ in first })
        var taken: [String: Set<String>] = [:]
        for table in tables {
            taken[table.name] = Set(table.columns.map(\.column.name) + (computed[table.name] ?? []).map(\.name))
        }
        var result: [String: [Relationship]] = [:]
        func claim(_ wanted: String, _ fallback: String, on table: String) -> String {
            var name = GraphQLNaming.isValid(wanted) && !(taken[table]?.contains(wanted) ?? false) ? wanted : fallback
            var suffix = 2
            let base = name
            while taken[table]?.contains(name) ?? false {
                name = "\(base)_\(suffix)"
                suffix += 1
            }
            taken[table, default: []].insert(name)
            return name
        }
        var arrays: [(table: String, relationship: Relationship, fallback: String)] = []
        for table in tables {
            for key in table.live.foreignKeys.sorted(by: { $0.name < $1.name }) {
                guard let target = byQualified["\(key.targetSchema).\(key.targetTable)"],
                      key.columns.allSatisfy({ column in table.columns.contains { $0.column.name == column } }),
                      key.targetColumns.allSatisfy({ column in target.columns.contains { $0.column.name == column } }) else { continue }
                let single = key.columns.count == 1 ? key.columns[0] : nil
                let wanted = single.flatMap { $0.hasSuffix("_id") && $0.count > 3 ? String($0.dropLast(3)) : nil }
                    ?? GraphQLNaming.singular(target.name)
                let name = claim(wanted, "\(GraphQLNaming.singular(target.name))_by_\(key.columns.joined(separator: "_"))", on: table.name)
                result[table.name, default: []].append(Relationship(name: name, kind: "object", target: target.name,
                                                                     mapping: Array(zip(key.columns, key.targetColumns))))
                arrays.append((target.name, Relationship(name: table.name, kind: "array", target: table.name,
                                                          mapping: Array(zip(key.targetColumns, key.columns))),
                               "\(table.name)_by_\(key.columns.joined(separator: "_"))"))
            }
        }
        // A table referenced twice by another gets both arrays named by their columns.
        let repeated = Dictionary(grouping: arrays, by: { "\($0.table) \($0.relationship.target)" }).filter { $0.value.count > 1 }.keys
        for (table, var relationship, fallback) in arrays {
            let wanted = repeated.contains("\(table) \(relationship.target)") ? fallback : relationship.name
            relationship.name = claim(wanted, fallback, on: table)
            result[table, default: []].append(relationship)
        }
        return result
    }

    /// Functions taking one row of a table and returning one value of a served type.
    func computedFields(of tables: [Exposed]) -> [String: [ComputedField]] {
        var result: [String: [ComputedField]] = [:]
        for table in tables {
            let rowTypes = ["\(table.live.schema).\(table.live.name)", table.live.name]
            let columns = Set(table.columns.map(\.column.name))
            for function in catalog.functions.sorted(by: { ($0.schema, $0.name) < ($1.schema, $1.name) })
            where schemas.contains(function.schema) && !function.returnsSet {
                let arguments = function.arguments.split(separator: ",")
                guard arguments.count == 1, let type = Self.writtenType(function.returns),
                      let written = arguments.first?.split(separator: " ").last.map(String.init), rowTypes.contains(written) else { continue }
                let prefix = GraphQLNaming.singular(table.name) + "_"
                var name = function.name.hasPrefix(prefix) && function.name.count > prefix.count ? String(function.name.dropFirst(prefix.count)) : function.name
                if columns.contains(name) { name = function.name }
                guard GraphQLNaming.isValid(name), !columns.contains(name) else { continue }
                result[table.name, default: []].append(ComputedField(name: name, function: "\(function.schema).\(function.name)", type: type,
                                                                      comment: function.comment))
            }
        }
        return result
    }
}
