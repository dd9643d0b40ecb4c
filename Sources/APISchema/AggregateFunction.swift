import SchemaModel

/// The aggregates `<table>_aggregate` offers besides `count`, and the columns each applies to.
enum AggregateFunction: String, CaseIterable {
    case avg, max, min, stddev, sum, variance

    func columns(of view: TableView) -> [ColumnModel] {
        switch self {
        case .max, .min: view.orderedColumns
        case .avg, .stddev, .sum, .variance: view.numericColumns
        }
    }

    /// Averages and spreads are fractions whatever the column; sums, minima and maxima keep its type.
    var keepsColumnType: Bool {
        self == .max || self == .min || self == .sum
    }
}

extension RoleSchemaBuilder {
    mutating func defineAggregate(_ view: TableView) {
        let name = "\(view.name)_aggregate"
        guard !writer.has(name) else { return }
        defineObject(view)
        defineSelectColumn(view)
        var fields = [SDLWriter.Field("count", "Int!", arguments: [
            SDLWriter.Field("columns", "[\(view.name)_select_column!]"),
            SDLWriter.Field("distinct", "Boolean"),
        ])]
        for function in AggregateFunction.allCases {
            let columns = function.columns(of: view)
            guard !columns.isEmpty else { continue }
            let type = "\(view.name)_\(function.rawValue)_fields"
            var typeFields: [SDLWriter.Field] = []
            for column in columns {
                typeFields.append(SDLWriter.Field(column.name, function.keepsColumnType ? scalar(column.type) : "Float"))
            }
            writer.object(type, description: "aggregate \(function.rawValue) on columns", fields: typeFields)
            fields.append(SDLWriter.Field(function.rawValue, type))
        }
        writer.object("\(name)_fields", description: "aggregate fields of \"\(view.name)\"", fields: fields.sorted { $0.name < $1.name })
        writer.object(name, description: "aggregated selection of \"\(view.name)\"", fields: [
            SDLWriter.Field("aggregate", "\(name)_fields"),
            SDLWriter.Field("nodes", "[\(view.name)!]!"),
        ])
    }
}
