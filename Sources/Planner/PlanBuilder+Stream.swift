import APISchema
import GraphQLLanguage
import SQL

/// What a stream subscription needs beyond its statement: where it starts and how its batches
/// follow one another. Each run binds the cursor reached so far to `cursorVariable`.
public struct StreamPlan: Sendable {
    /// The stream field's response key.
    public let responseKey: String
    /// The cursor column's value the stream starts after, as text; nil: from its first row.
    public let initialCursor: String?
    /// The most rows one batch holds: after a full batch the next one is read at once.
    public let batchSize: Int
    /// Whether it reads settled change events only (the event channel): it is woken when a
    /// change settles rather than when it commits.
    public var followsSettledChanges = false
    /// Not a GraphQL name, so no client variable can be it.
    public static let cursorVariable = "@cursor"
}

extension PlanBuilder {
    /// `<table>_stream(batch_size:, cursor: [{initial_value: {column: value}, ordering:}], where:)`:
    /// the rows after the cursor in its column's order, at most a batch, as
    /// `{"rows": [...], "cursors": [each row's cursor value as text]}`.
    func stream(_ view: TableView, field: SelectedField, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> (SQLSelect, StreamPlan) {
        guard let batchInput = field.argument("batch_size"), let batch = variables.integer(batchInput), batch >= 1 else {
            throw planningError("\"batch_size\" must be a positive number", at: field, path: path)
        }
        // A single cursor stands for a list of one, as input coercion says.
        var cursor = field.argument("cursor").map { variables.shape($0) }
        if case .list(let cursors)? = cursor, cursors.count == 1 { cursor = variables.shape(cursors[0]) }
        guard case .object(let members)? = cursor else {
            throw planningError("\"cursor\" must hold exactly one cursor", at: field, path: path)
        }
        var direction = SQLOrdering.Direction.ascending
        var initial: InputValue?
        for (key, value) in members {
            if key == "ordering", case .enumValue("DESC") = variables.shape(value) { direction = .descending }
            if key == "initial_value" { initial = value }
        }
        guard let initial, case .object(let columns) = variables.shape(initial), columns.count == 1,
              let column = view.columns.first(where: { $0.name == columns[0].0 }) else {
            throw planningError("a stream's cursor must give the initial value of exactly one column", at: field, path: path)
        }
        let start = variables.constantText(columns[0].1, json: false)
        var arguments = RowArguments()
        arguments.filter = field.argument("where")
        arguments.cursor = StreamCursor(column: column, direction: direction,
                                        value: parameter(.variable(StreamPlan.cursorVariable, json: false)))
        let size = min(batch, rowCap(view) ?? batch)
        arguments.fixedLimit = size
        let query = try rows(view, shapes: [RowShape(output: Self.rootColumn, selections: field.subselections)], arguments: arguments,
                             parent: nil, field: field, path: path)
        let alias = nextAlias("r")
        let orderings = query.orderings(of: alias)
        // The cursor is the first sort key (`rows` puts it there).
        let cursorKey = query.order[0].name
        let object = try jsonObject([
            ("rows", jsonArray(.column(table: alias, Self.rootColumn), orderBy: orderings)),
            ("cursors", jsonArray(.cast(.column(table: alias, cursorKey), .text), orderBy: orderings)),
        ], at: field, path: path)
        let select = SQLSelect([.init(object, as: Self.rootColumn)], from: .subquery(query.select, as: alias))
        return (select, StreamPlan(responseKey: field.responseKey, initialCursor: start, batchSize: size))
    }
}
