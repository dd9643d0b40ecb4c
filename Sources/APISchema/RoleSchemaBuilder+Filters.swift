import SchemaModel

/// `where` and `order_by` inputs: `<table>_bool_exp`, `<scalar>_comparison_exp`, `<table>_order_by`.
extension RoleSchemaBuilder {
    mutating func defineBoolExp(_ view: TableView) {
        let name = "\(view.name)_bool_exp"
        guard writer.claim(name + "#input") else { return }
        var fields = [
            SDLWriter.Field("_and", "[\(name)!]"),
            SDLWriter.Field("_not", name),
            SDLWriter.Field("_or", "[\(name)!]"),
        ]
        for column in view.columns {
            fields.append(SDLWriter.Field(column.name, comparison(column.type)))
        }
        for field in view.computedFields {
            fields.append(SDLWriter.Field(field.name, comparison(field.returns)))
        }
        for relationship in view.relationships {
            guard let target = views[relationship.target] else { continue }
            defineBoolExp(target)
            fields.append(SDLWriter.Field(relationship.name, "\(target.name)_bool_exp"))
        }
        writer.input(name, description: "Boolean expression to filter rows from the table \"\(view.name)\". All fields are combined with a logical 'AND'.",
                     fields: fields.sorted { $0.name < $1.name })
    }

    /// `<scalar>_comparison_exp` with the operators the type offers.
    mutating func comparison(_ type: ColumnType) -> String {
        let scalar = scalar(type)
        let name = type.element.map { "\(ScalarNames.name(of: $0))_array_comparison_exp" } ?? "\(scalar)_comparison_exp"
        guard !writer.has(name) else { return name }
        let fields = ComparisonOperator.available(for: type).map { op -> SDLWriter.Field in
            switch op {
            case .in, .nin: SDLWriter.Field(op.rawValue, "[\(scalar)!]")
            case .isNull: SDLWriter.Field(op.rawValue, "Boolean")
            case .hasKey: SDLWriter.Field(op.rawValue, "String", description: "does the string exist as a top-level key in the column")
            case .matches: SDLWriter.Field(op.rawValue, "String", description: "does the document match the given web-search query (quoted phrases, or, -excluded words)")
            case .contains where type.element != nil: SDLWriter.Field(op.rawValue, scalar, description: "does the array hold every element of the given list")
            case .containedIn: SDLWriter.Field(op.rawValue, scalar, description: "is every element of the array in the given list")
            case .contains: SDLWriter.Field(op.rawValue, scalar, description: "does the column contain the given json value at the top level")
            case .like: SDLWriter.Field(op.rawValue, scalar, description: "does the column match the given pattern")
            case .nlike: SDLWriter.Field(op.rawValue, scalar, description: "does the column NOT match the given pattern")
            case .ilike: SDLWriter.Field(op.rawValue, scalar, description: "does the column match the given case-insensitive pattern")
            case .nilike: SDLWriter.Field(op.rawValue, scalar, description: "does the column NOT match the given case-insensitive pattern")
            case .regex: SDLWriter.Field(op.rawValue, scalar, description: "does the column match the given POSIX regular expression, case sensitive")
            case .iregex: SDLWriter.Field(op.rawValue, scalar, description: "does the column match the given POSIX regular expression, case insensitive")
            default: SDLWriter.Field(op.rawValue, scalar)
            }
        }
        writer.input(name, description: "Boolean expression to compare columns of type \"\(scalar)\". All fields are combined with logical 'AND'.",
                     fields: fields.sorted { $0.name < $1.name })
        return name
    }

    mutating func defineOrderBy(_ view: TableView) {
        let name = "\(view.name)_order_by"
        guard writer.claim(name + "#input") else { return }
        defineOrderByEnum()
        var fields = view.columns.map { SDLWriter.Field($0.name, "order_by") }
        fields += view.computedFields.filter { $0.returns.isOrdered }.map { SDLWriter.Field($0.name, "order_by") }
        for relationship in view.relationships {
            guard let target = views[relationship.target] else { continue }
            switch relationship.kind {
            case .object:
                defineOrderBy(target)
                fields.append(SDLWriter.Field(relationship.name, "\(target.name)_order_by"))
            case .array where target.allowsAggregates:
                defineAggregateOrderBy(target)
                fields.append(SDLWriter.Field("\(relationship.name)_aggregate", "\(target.name)_aggregate_order_by"))
            case .array:
                break
            }
        }
        writer.input(name, description: "Ordering options when selecting data from \"\(view.name)\".",
                     fields: fields.sorted { $0.name < $1.name })
    }

    mutating func defineOrderByEnum() {
        writer.enumeration("order_by", description: "column ordering options", values: [
            ("asc", "in ascending order, nulls last"),
            ("asc_nulls_first", "in ascending order, nulls first"),
            ("asc_nulls_last", "in ascending order, nulls last"),
            ("desc", "in descending order, nulls first"),
            ("desc_nulls_first", "in descending order, nulls first"),
            ("desc_nulls_last", "in descending order, nulls last"),
        ])
    }

    /// Ordering by an array relationship's aggregates: count, and per-column functions.
    mutating func defineAggregateOrderBy(_ view: TableView) {
        let name = "\(view.name)_aggregate_order_by"
        guard !writer.has(name) else { return }
        defineOrderByEnum()
        var fields = [SDLWriter.Field("count", "order_by")]
        for function in AggregateFunction.allCases {
            let columns = function.columns(of: view)
            guard !columns.isEmpty else { continue }
            let input = "\(view.name)_\(function.rawValue)_order_by"
            writer.input(input, description: "order by \(function.rawValue)() on columns of table \"\(view.name)\"",
                         fields: columns.map { SDLWriter.Field($0.name, "order_by") })
            fields.append(SDLWriter.Field(function.rawValue, input))
        }
        writer.input(name, description: "order by aggregate values of table \"\(view.name)\"", fields: fields.sorted { $0.name < $1.name })
    }
}
