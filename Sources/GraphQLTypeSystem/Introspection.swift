import GraphQLLanguage

/// Answers the introspection fields of an operation (`__schema`, `__type`, `__typename`; spec
/// §4, September 2025 edition) from a schema. The operation must already be valid; fields that
/// are not introspection are left to the caller, which merges the results.
public struct Introspection {
    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinition]
    let variables: [String: JSONValue]

    public init(schema: GraphQLSchema, document: Document, variables: [String: JSONValue] = [:]) {
        self.schema = schema
        var fragments: [String: FragmentDefinition] = [:]
        for fragment in document.fragments where fragments[fragment.name.value] == nil {
            fragments[fragment.name.value] = fragment
        }
        self.fragments = fragments
        self.variables = variables
    }

    /// The operation's introspection fields on the root, by response key in selection order.
    public func resolveRoot(_ operation: OperationDefinition) -> [(String, JSONValue)] {
        let rootName = schema.rootTypeName(for: operation.operation) ?? "Query"
        return collect([operation.selectionSet], on: rootName).compactMap { key, fields in
            let field = fields[0]
            switch field.name.value {
            case "__typename": return (key, .string(rootName))
            case "__schema": return (key, resolve(.schema, fields))
            case "__type":
                guard case .string(let name)? = argument(field, "name"), schema.type(named: name) != nil else { return (key, .null) }
                return (key, resolve(.type(.named(name)), fields))
            default: return nil
            }
        }
    }

    /// The whole `data` object of an operation made of introspection fields only.
    public func execute(_ operation: OperationDefinition) -> JSONValue {
        .object(resolveRoot(operation))
    }

    // MARK: Selections

    /// Fields by response key in order of first appearance, after `@skip`/`@include` and fragments
    /// whose type condition is `typeName`.
    func collect(_ selectionSets: [SelectionSet], on typeName: String) -> [(String, [Field])] {
        var order: [String] = []
        var fields: [String: [Field]] = [:]
        var visited: Set<String> = []
        func visit(_ selectionSet: SelectionSet) {
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    guard isIncluded(field.directives) else { continue }
                    let key = field.responseKey
                    if fields[key] == nil { order.append(key) }
                    fields[key, default: []].append(field)
                case .inlineFragment(let fragment):
                    guard isIncluded(fragment.directives), fragment.typeCondition.map({ $0.value == typeName }) ?? true else { continue }
                    visit(fragment.selectionSet)
                case .fragmentSpread(let spread):
                    guard isIncluded(spread.directives), visited.insert(spread.name.value).inserted,
                          let fragment = fragments[spread.name.value], fragment.typeCondition.value == typeName else { continue }
                    visit(fragment.selectionSet)
                }
            }
        }
        selectionSets.forEach(visit)
        // `order` holds exactly the keys `visit` stored in `fields`.
        return order.map { ($0, fields[$0]!) }
    }

    func isIncluded(_ directives: SyntaxList<Directive>) -> Bool {
        for directive in directives where directive.name.value == "skip" || directive.name.value == "include" {
            let condition = directive.arguments.first { $0.name.value == "if" }.map { value($0.value) }
            let flag = condition == .bool(true)
            if directive.name.value == "skip" && flag { return false }
            if directive.name.value == "include" && !flag { return false }
        }
        return true
    }

    /// An argument's value, variables resolved; nil when absent.
    func argument(_ field: Field, _ name: String) -> JSONValue? {
        field.arguments.first { $0.name.value == name }.map { value($0.value) }
    }

    func value(_ literal: Value) -> JSONValue {
        switch literal.kind {
        case .variable(let name): variables[name] ?? .null
        case .boolean(let flag): .bool(flag)
        case .string(let text, _), .enumValue(let text): .string(text)
        case .int(let text), .float(let text): .number(text)
        case .null: .null
        case .list(let items): .array(items.map(value))
        case .object(let members): .object(members.map { ($0.name.value, value($0.value)) })
        }
    }

    func includeDeprecated(_ field: Field) -> Bool {
        argument(field, "includeDeprecated") == .bool(true)
    }

    /// The sub-selection of `fields` on `object`.
    func resolve(_ object: IntrospectionObject, _ fields: [Field]) -> JSONValue {
        let selectionSets = fields.compactMap(\.selectionSet)
        return .object(collect(selectionSets, on: object.typeName).map { key, fields in
            (key, resolveField(object, fields))
        })
    }

    func resolveList(_ objects: [IntrospectionObject]?, _ fields: [Field]) -> JSONValue {
        guard let objects else { return .null }
        return .array(objects.map { resolve($0, fields) })
    }
}
