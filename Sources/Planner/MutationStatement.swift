import APISchema
import SQL

/// The statement one mutation field becomes, as it is built: its write steps (common table
/// expressions, each referring only to earlier ones), which tables they wrote, and which steps'
/// rows must pass a permission check.
struct MutationStatement {
    private(set) var steps: [SQLWithQuery.Table] = []
    private(set) var written: [String: [WrittenRows]] = [:]
    /// The steps whose rows the role's `check` must accept, with the table they wrote.
    private(set) var checked: [(view: TableView, rows: WrittenRows)] = []

    /// Every step's name, in order: together they hold every row the field wrote.
    var stepNames: [SQLIdentifier] { steps.map(\.name) }

    mutating func add(_ write: SQLWrite, named name: SQLIdentifier, of view: TableView, kind: WrittenRows.Kind) {
        steps.append(SQLWithQuery.Table(name, write))
        let rows = WrittenRows(name: name, kind: kind)
        written[view.name, default: []].append(rows)
        checked.append((view, rows))
    }
}
