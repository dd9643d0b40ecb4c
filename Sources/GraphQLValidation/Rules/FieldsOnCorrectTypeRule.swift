import GraphQLLanguage
import GraphQLTypeSystem

/// Every selected field is defined on the type it is selected on (spec §5.3.1, Field Selections).
enum FieldsOnCorrectTypeRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.fields where visit.definition == nil {
            guard let parent = visit.parentType, let type = context.schema.type(named: parent) else { continue }
            let name = visit.field.name.value
            var hint = Suggestion.format(suggestedTypes(for: name, on: type, in: context.schema), what: "to use an inline fragment on")
            if hint.isEmpty {
                hint = Suggestion.didYouMean(name, among: type.fields.map(\.name))
            }
            context.report("Cannot query field \"\(name)\" on type \"\(parent)\".\(hint)", [visit.field.location])
        }
    }

    /// For an abstract type: the possible types and their interfaces that define the field, most
    /// common first, interfaces before the types implementing them (as graphql-js orders them).
    static func suggestedTypes(for field: String, on type: GraphQLNamedType, in schema: GraphQLSchema) -> [String] {
        guard type.isAbstract else { return [] }
        var usage: [String: Int] = [:]
        var order: [String] = []
        for possible in schema.possibleTypes(of: type.name).sorted() {
            guard let object = schema.type(named: possible)?.objectType, object.field(named: field) != nil else { continue }
            if usage[possible] == nil { order.append(possible) }
            usage[possible] = 1
            for interface in object.interfaces where schema.type(named: interface)?.objectType?.field(named: field) != nil {
                if usage[interface] == nil { order.append(interface) }
                usage[interface, default: 0] += 1
            }
        }
        return order.sorted { a, b in
            if usage[a] != usage[b] { return (usage[a] ?? 0) > (usage[b] ?? 0) }
            if case .interface? = schema.type(named: a), schema.isSubType(b, of: a) { return true }
            if case .interface? = schema.type(named: b), schema.isSubType(a, of: b) { return false }
            return a < b
        }
    }
}
