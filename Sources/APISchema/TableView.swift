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
    public var constraints: [String] { [table.primaryKeyConstraint] + table.uniqueConstraints.map(\.name) }
}
