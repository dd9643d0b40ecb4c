import GraphQLLanguage

/// A subscription selects exactly one root field, and not an introspection field
/// (spec §5.2.3.1, Single Root Field).
enum SingleFieldSubscriptionsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for operation in context.document.operations where operation.operation == .subscription {
            guard let root = context.schema.subscriptionTypeName else { continue }
            let fields = FieldCollector(context: context).collect(operation.selectionSet, on: root)
            let title = operation.name.map { "Subscription \"\($0.value)\"" } ?? "Anonymous Subscription"
            if fields.count > 1 {
                let extra = fields.dropFirst().flatMap { $0.1.map(\.location) }
                context.report("\(title) must select only one top level field.", extra)
            }
            for (key, nodes) in fields where key.hasPrefix("__") {
                context.report("\(title) must not select an introspection top level field.", nodes.map(\.location))
            }
        }
    }
}
