import APISchema
import SchemaModel
import SQL

/// The arguments that choose rows: `where`, `order_by`, `limit`, `offset`, `distinct_on`, or a
/// primary key's columns for `_by_pk`.
struct RowArguments {
    var filter: InputValue?
    var orderBy: InputValue?
    var limit: InputValue?
    var offset: InputValue?
    var distinctOn: InputValue?
    var primaryKey: [(column: ColumnModel, value: InputValue)] = []
    /// At most one row: object relationships and `_by_pk`.
    var single = false
    /// A stream's batch: rows after its cursor, in the cursor's order, at most `fixedLimit`.
    var cursor: StreamCursor?
    var fixedLimit: Int?

    /// Every row, in no particular order: a mutation's `returning`.
    static let all = RowArguments()

    static let oneRow: RowArguments = {
        var arguments = RowArguments()
        arguments.single = true
        return arguments
    }()

    /// The selection arguments of a list or aggregate field.
    init(selecting field: SelectedField) {
        filter = field.argument("where")
        orderBy = field.argument("order_by")
        limit = field.argument("limit")
        offset = field.argument("offset")
        distinctOn = field.argument("distinct_on")
    }

    /// A `_by_pk` field's key columns.
    init(primaryKeyOf field: SelectedField, key: [ColumnModel]) {
        primaryKey = key.compactMap { column in field.argument(column.name).map { (column, $0) } }
        single = true
    }

    init() {}
}

/// Where a stream's batch starts: rows whose `column` comes after `value` in `direction` (all
/// rows when `value` is null), ordered by that column.
struct StreamCursor {
    let column: ColumnModel
    let direction: SQLOrdering.Direction
    /// A text bind, cast to the column's type.
    let value: SQLExpression
}
