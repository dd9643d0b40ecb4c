import APISchema
import SchemaModel
import SQL

/// The rows one write step of a mutation statement returned (a common table expression), and
/// what it did to them.
struct WrittenRows: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Inserted rows; with `upsert`, some may be existing rows it updated instead.
        case insert(upsert: Bool)
        case update
        case delete
    }

    let name: SQLIdentifier
    let kind: Kind
}

/// Where a selection reads its rows from.
enum RowSource: Equatable {
    /// The table (as this statement's writes leave it).
    case table
    /// The rows these write steps returned, in order: a mutation's `returning`.
    case written([SQLIdentifier])
    /// The rows a set-returning function call returns (an exposed SQL function).
    case function(SQLExpression)

    var isWritten: Bool { if case .written = self { true } else { false } }
}

/// A mutation statement's writes all run on the statement's snapshot, so a plain read of a
/// table it writes would miss the new rows (a nested insert's children under `returning`). Such
/// reads go to the table's image instead: its rows that no step wrote, plus what the steps
/// returned. Write steps return every column of the table's file and each computed field the
/// role may read and the operation selects somewhere (`__cf_<name>`), so the image and a step's
/// rows have the same outputs, and no function runs for a value nobody reads.
extension PlanBuilder {
    static func computedColumn(_ function: ComputedFieldModel) -> SQLIdentifier {
        SQLIdentifier("__cf_" + function.name)
    }

    func computedValue(_ function: ComputedFieldModel, row: SQLIdentifier) -> SQLExpression {
        let name = SQLQualifiedName(schema: SQLIdentifier(function.functionSchema), SQLIdentifier(function.function))
        return .function(name, [.star(table: row)])
    }

    /// The computed fields of `view` that write steps return.
    func returnedComputedFields(_ view: TableView) -> [ComputedFieldModel] {
        guard let selected else { return view.computedFields }
        return view.computedFields.filter { selected.contains($0.name) }
    }

    /// What a write step of `view` returns for each row under `alias` (the statement's target).
    func returnedImage(_ view: TableView, row alias: SQLIdentifier) -> [SQLSelect.Output] {
        view.table.columns.map { .init(.column(table: alias, $0.sqlIdentifier), as: $0.sqlIdentifier) }
            + returnedComputedFields(view).map { .init(computedValue($0, row: alias), as: Self.computedColumn($0)) }
    }

    /// The image's outputs read from rows that already carry them (a step's rows).
    private func copiedImage(_ view: TableView, from alias: SQLIdentifier) -> [SQLSelect.Output] {
        view.table.columns.map { .init(.column(table: alias, $0.sqlIdentifier), as: $0.sqlIdentifier) }
            + returnedComputedFields(view).map { .init(.column(table: alias, Self.computedColumn($0)), as: Self.computedColumn($0)) }
    }

    /// The table under `alias`, or its image when this statement writes it.
    func tableSource(_ view: TableView, as alias: SQLIdentifier) -> SQLSource {
        noteRead(view.name)
        guard let steps = written[view.name], !steps.isEmpty else { return .table(view.tableName, as: alias) }
        let base = nextAlias("o")
        var untouched: [SQLExpression] = []
        // Plain inserts only add rows; the other steps may have changed or removed existing ones.
        for step in steps where step.kind != .insert(upsert: false) && !view.table.primaryKey.isEmpty {
            let other = nextAlias("x")
            let sameKey = SQLExpression.and(view.table.primaryKey.map {
                .binary(.column(table: other, view.sqlColumn($0)), .equal, .column(table: base, view.sqlColumn($0)))
            })
            untouched.append(.not(.exists(SQLSelect([.init(.integer(1))], from: .table(SQLQualifiedName(step.name), as: other), where: sameKey))))
        }
        var selects = [SQLSelect(returnedImage(view, row: base), from: .table(view.tableName, as: base), where: .and(untouched))]
        for step in steps where step.kind != .delete {
            let rows = nextAlias("x")
            selects.append(SQLSelect(copiedImage(view, from: rows), from: .table(SQLQualifiedName(step.name), as: rows)))
        }
        return .unionAll(selects, as: alias)
    }

    /// The rows these steps returned, in order, under `alias`.
    func writtenRows(_ view: TableView, steps: [SQLIdentifier], as alias: SQLIdentifier) -> SQLSource {
        if steps.count == 1 { return .table(SQLQualifiedName(steps[0]), as: alias) }
        if steps.isEmpty {
            let none = nextAlias("x")
            return .subquery(SQLSelect(returnedImage(view, row: none), from: .table(view.tableName, as: none), where: .boolean(false)), as: alias)
        }
        return .unionAll(steps.map { step in
            let rows = nextAlias("x")
            return SQLSelect(copiedImage(view, from: rows), from: .table(SQLQualifiedName(step), as: rows))
        }, as: alias)
    }
}
