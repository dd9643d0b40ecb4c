import SchemaModel

/// One table as one role sees it: the permitted operations, columns and relationships.
/// A relationship is visible only when the role may select from its target.
struct TableView {
    let table: TableModel
    let select: SelectPermission?
    let insert: InsertPermission?
    let update: UpdatePermission?
    let delete: DeletePermission?
    /// Selectable columns and computed fields, in the order the table file lists them.
    let columns: [ColumnModel]
    let computedFields: [ComputedFieldModel]
    let relationships: [RelationshipModel]

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

    var name: String { table.name }
    var isSelectable: Bool { select != nil }
    var allowsAggregates: Bool { select?.allowsAggregates ?? false }

    /// The primary key, when the role may read all of it (for `_by_pk`).
    var primaryKey: [ColumnModel]? {
        let key = table.primaryKey.compactMap { name in columns.first { $0.name == name } }
        return key.count == table.primaryKey.count && !key.isEmpty ? key : nil
    }

    var numericColumns: [ColumnModel] { columns.filter(\.type.isNumeric) }
    var orderedColumns: [ColumnModel] { columns.filter(\.type.isOrdered) }

    /// Columns a client may write in an insert: permitted, not preset, not the tenant's.
    var insertColumns: [ColumnModel] {
        guard let insert else { return [] }
        return table.columns.filter {
            insert.columns.contains($0.name) && insert.presets[$0.name] == nil && $0.name != table.tenantColumn
        }
    }

    var updateColumns: [ColumnModel] {
        guard let update else { return [] }
        return table.columns.filter {
            update.columns.contains($0.name) && update.presets[$0.name] == nil && $0.name != table.tenantColumn
        }
    }

    /// Constraints an upsert may name: the primary key's and the unique ones.
    var constraints: [String] { [table.primaryKeyConstraint] + table.uniqueConstraints.map(\.name) }
}
