import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// A root field calling an exposed SQL function: its rows, as the table's list field reads a
/// table's — filtered, ordered and limited by the client, under the role's select permission.
extension PlanBuilder {
    func functionRows(_ function: FunctionModel, field: SelectedField, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLSelect {
        try selectRows(of: function, from: functionCall(function, field: field), field: field, path: path)
    }

    /// A mutation's function call, then its rows: the first statement calls the function and
    /// returns its rows as JSON; the second reads them back as rows of the table, in a snapshot
    /// that sees what the function wrote — for relationships of the rows, say.
    func functionMutation(_ function: FunctionModel, field: SelectedField,
                          path: [GraphQLError.PathComponent]) throws(GraphQLError) -> (SQLSelect, SQLSelect) {
        guard let view = api.tables[function.returns] else { throw planningError("field '\(field.name)' not found", at: field, path: path) }
        let called = nextAlias("f")
        let call = SQLSelect([.init(.coalesce([.aggregate(SQLAggregate("json_agg", [.star(table: called)])),
                                               .builtin("json_build_array", [])]))],
                             from: .function(try functionCall(function, field: field), as: called))
        let returned = SQLExpression.builtin("json_populate_recordset", [.cast(.null, .row(of: view.tableName)),
                                                                          .cast(parameter(.previousResult), .json)])
        return (call, try selectRows(of: function, from: returned, field: field, path: path))
    }

    private func selectRows(of function: FunctionModel, from call: SQLExpression, field: SelectedField,
                            path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLSelect {
        guard let view = api.tables[function.returns], view.isSelectable else {
            throw planningError("field '\(field.name)' not found", at: field, path: path)
        }
        let query = try rows(view, shapes: [RowShape(output: Self.rootColumn, selections: field.subselections)],
                             arguments: RowArguments(selecting: field), parent: nil, source: .function(call), field: field, path: path)
        let alias = nextAlias("r")
        return SQLSelect([.init(jsonArray(.column(table: alias, Self.rootColumn), orderBy: query.orderings(of: alias)), as: Self.rootColumn)],
                         from: .subquery(query.select, as: alias))
    }

    /// `schema.function(name => value, …)`. Named notation: an argument the client leaves out
    /// takes the function's own default.
    private func functionCall(_ function: FunctionModel, field: SelectedField) throws(GraphQLError) -> SQLExpression {
        var arguments: [SQLExpression] = []
        if let input = field.argument("args"), case .object(let members) = variables.layout(input) {
            for argument in function.arguments {
                guard let value = members.first(where: { $0.0 == argument.name })?.1 else { continue }
                arguments.append(.namedArgument(SQLIdentifier(argument.name), writtenValue(value, column: argument)))
            }
        }
        return .function(SQLQualifiedName(schema: SQLIdentifier(function.schema), SQLIdentifier(function.function)), arguments)
    }
}
