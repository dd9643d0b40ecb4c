import SchemaModel

/// One table as one role sees it: the permitted operations, columns and relationships.
/// A relationship is visible only when the role may select from its target.
public struct TableView: Sendable {
    public let table: TableModel
    public let select: SelectPermission?
    public let insert: InsertPermission?
    public let update: UpdatePermission?
    public let delete: DeletePermission?
    /// Selectable columns and computed fields, in the order the table file lists them.
    public let columns: [ColumnModel]
    public let computedFields: [ComputedFieldModel]
    public let relationships: [RelationshipModel]

    init(_ table: TableModel, role: String, selectable: Set<String>) {
        self.table = table
        let permissions = table.permissions[role]
        select = permissions?.select
        insert = permissions?.insert
        update = permissions?.update
        delete = permissions?.delete
        let readable = Set(select?.columns ?? [])
        columns = table.columns.filter { readable.contains($0.name) }
        computedFields = table.computedFields.filter { readable.contains($0.name) }
        relationships = select == nil ? [] : table.relationships.filter { selectable.contains($0.target) }
    }

    public var name: String { table.name }
    public var isSelectable: Bool { select != nil }
    public var allowsAggregates: Bool { select?.allowsAggregates ?? false }

    /// The primary key, when the role may read all of it (for `_by_pk`).
    public var primaryKey: [ColumnModel]? {
        let key = table.primaryKey.compactMap { name in columns.first { $0.name == name } }
        return key.count == table.primaryKey.count && !key.isEmpty ? key : nil
    }

    public var numericColumns: [ColumnModel] { columns.filter(\.type.isNumeric) }
    public var orderedColumns: [ColumnModel] { columns.filter(\.type.isOrdered) }

    /// Columns a client may write in an insert: permitted, not preset, not the tenant's.
    public var insertColumns: [ColumnModel] {
        guard let insert else { return [] }
        return table.columns.filter {
            insert.columns.contains($0.name) && insert.presets[$0.name] == nil && $0.name != table.tenantColumn
        }
    }

    public var updateColumns: [ColumnModel] {
        guard let update else { return [] }
        return table.columns.filter {
            update.columns.contains($0.name) && update.presets[$0.name] == nil && $0.name != table.tenantColumn
        }
    }

    /// Constraints an upsert may name: the primary key's and the unique ones.
    /// The keys `on_conflict` may name: each constraint's enum value (its name, made a GraphQL
    /// name when it is not one: `Contact First Name` → `Contact_First_Name`) and PostgreSQL name.
    public var constraints: [(value: String, sqlName: String)] {
        var used: Set<String> = []
        return ([table.primaryKeyConstraint] + table.uniqueConstraints.map(\.name)).map { name in
            var value = Self.enumValue(name)
            while !used.insert(value).inserted { value += "_" }
            return (value, name)
        }
    }

    static func enumValue(_ name: String) -> String {
        var value = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? scalar : "_"
        }))
        if value.first.map({ ("0"..."9").contains($0) }) ?? true { value = "_" + value }
        return ["true", "false", "null"].contains(value) ? value + "_" : value
    }
}
