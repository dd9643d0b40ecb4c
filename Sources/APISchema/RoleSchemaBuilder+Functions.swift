import SchemaModel

/// SQL functions as root fields: `name(args: name_args!, where:, order_by:, limit:, offset:,
/// distinct_on:): [table!]!`, Hasura's shape for tracked functions.
extension RoleSchemaBuilder {
    mutating func functionField(_ function: FunctionModel) -> SDLWriter.Field? {
        guard let view = views[function.returns], view.isSelectable else { return nil }
        defineObject(view)
        var arguments: [SDLWriter.Field] = []
        if !function.arguments.isEmpty {
            var fields: [SDLWriter.Field] = []
            for argument in function.arguments {
                fields.append(SDLWriter.Field(argument.name, outputType(argument), description: argument.description))
            }
            writer.input(function.argumentsTypeName, description: "The arguments of \(function.qualifiedName); one left out takes the function's default.",
                         fields: fields)
            let required = function.arguments.contains { !$0.isNullable }
            arguments.append(SDLWriter.Field("args", function.argumentsTypeName + (required ? "!" : ""), description: "input parameters for the function"))
        }
        arguments += selectArguments(view)
        let verb = function.exposedAs == .mutation ? "execute the function" : "fetch data from the function"
        return SDLWriter.Field(function.name, "[\(view.name)!]!", description: function.description ?? "\(verb): \"\(function.qualifiedName)\"",
                               arguments: arguments)
    }
}
