import SchemaModel

/// The query side: a table's object type, its root fields and the arguments that select rows.
extension RoleSchemaBuilder {
    mutating func queryFields(_ view: TableView) -> [SDLWriter.Field] {
        guard view.isSelectable else { return [] }
        defineObject(view)
        var fields = [SDLWriter.Field(view.name, "[\(view.name)!]!", description: "fetch data from the table: \"\(view.name)\"",
                                      arguments: selectArguments(view))]
        if view.allowsAggregates {
            defineAggregate(view)
            fields.append(SDLWriter.Field("\(view.name)_aggregate", "\(view.name)_aggregate!",
                                          description: "fetch aggregated fields from the table: \"\(view.name)\"",
                                          arguments: selectArguments(view)))
        }
        if let key = view.primaryKey {
            let arguments = key.map { SDLWriter.Field($0.name, scalar($0.type) + "!") }
            fields.append(SDLWriter.Field("\(view.name)_by_pk", view.name,
                                          description: "fetch data from the table: \"\(view.name)\" using primary key columns",
                                          arguments: arguments))
        }
        return fields
    }

    /// `distinct_on`, `limit`, `offset`, `order_by`, `where` — for root fields and array relationships.
    mutating func selectArguments(_ view: TableView) -> [SDLWriter.Field] {
        defineSelectColumn(view)
        defineBoolExp(view)
        defineOrderBy(view)
        return [
            SDLWriter.Field("distinct_on", "[\(view.name)_select_column!]", description: "distinct select on columns"),
            SDLWriter.Field("limit", "Int", description: "limit the number of rows returned"),
            SDLWriter.Field("offset", "Int", description: "skip the first n rows. Use only with order_by"),
            SDLWriter.Field("order_by", "[\(view.name)_order_by!]", description: "sort the rows by one or more columns"),
            SDLWriter.Field("where", "\(view.name)_bool_exp", description: "filter the rows returned"),
        ]
    }

    mutating func defineObject(_ view: TableView) {
        guard writer.claim("\(view.name)#object") else { return }
        var fields: [SDLWriter.Field] = []
        for column in view.columns {
            fields.append(SDLWriter.Field(column.name, outputType(column), description: column.description))
        }
        for computed in view.computedFields {
            fields.append(SDLWriter.Field(computed.name, scalar(computed.returns), description: computed.description))
        }
        for relationship in view.relationships {
            guard let target = views[relationship.target] else { continue }
            switch relationship.kind {
            case .object:
                defineObject(target)
                fields.append(SDLWriter.Field(relationship.name, target.name,
                                              description: relationship.description ?? "An object relationship"))
            case .array:
                defineObject(target)
                fields.append(SDLWriter.Field(relationship.name, "[\(target.name)!]!",
                                              description: relationship.description ?? "An array relationship",
                                              arguments: selectArguments(target)))
                if target.allowsAggregates {
                    defineAggregate(target)
                    fields.append(SDLWriter.Field("\(relationship.name)_aggregate", "\(target.name)_aggregate!",
                                                  description: "An aggregate relationship", arguments: selectArguments(target)))
                }
            }
        }
        let description = view.table.description ?? "columns and relationships of \"\(view.table.table)\""
        writer.object(view.name, description: description, fields: fields)
    }

    mutating func defineSelectColumn(_ view: TableView) {
        let name = "\(view.name)_select_column"
        guard !writer.has(name) else { return }
        writer.enumeration(name, description: "select columns of table \"\(view.name)\"",
                           values: view.columns.map { ($0.name, "column name") })
    }
}
