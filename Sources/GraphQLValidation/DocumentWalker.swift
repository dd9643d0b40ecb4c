import GraphQLLanguage
import GraphQLTypeSystem

/// Walks the executable definitions once with type information (graphql-js's TypeInfo), filling
/// the context's lists for the rules.
struct DocumentWalker {
    var context: ValidationContext
    var definition = 0
    var nodeCounter = 0

    init(context: ValidationContext) {
        self.context = context
    }

    var schema: GraphQLSchema { context.schema }

    mutating func walk() -> ValidationContext {
        for (index, node) in context.document.definitions.enumerated() {
            definition = index
            switch node {
            case .operation(let operation):
                for variable in operation.variableDefinitions {
                    walk(variable.directives, at: .variableDefinition)
                    if let defaultValue = variable.defaultValue {
                        walk(defaultValue, expected: VariableCoercion.typeRef(variable.type), hasDefault: false, oneOf: false)
                    }
                }
                walk(operation.directives, at: DirectiveLocation(rawValue: operation.operation.rawValue.uppercased())!)
                walk(operation.selectionSet, parentType: schema.rootTypeName(for: operation.operation))
            case .fragment(let fragment):
                walk(fragment.directives, at: .fragmentDefinition)
                walk(fragment.selectionSet, parentType: compositeName(fragment.typeCondition.value))
            default:
                break
            }
        }
        return context
    }

    func compositeName(_ name: String?) -> String? {
        guard let name, schema.type(named: name)?.isComposite == true else { return nil }
        return name
    }

    mutating func walk(_ selectionSet: SelectionSet, parentType: String?) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                let definition = parentType.flatMap { schema.field(on: $0, named: field.name.value) }
                context.fields.append(FieldVisit(field: field, parentType: parentType, definition: definition,
                                                 definitionIndex: self.definition))
                walk(field.directives, at: .field)
                for argument in field.arguments {
                    let argumentDefinition = definition?.argument(named: argument.name.value)
                    context.arguments.append(ArgumentVisit(
                        argument: argument, owner: .field(field, definition, parentType: parentType), definition: argumentDefinition,
                        definitionIndex: self.definition))
                    walk(argument.value, expected: argumentDefinition?.type,
                         hasDefault: argumentDefinition?.defaultValue != nil, oneOf: false)
                }
                if let selectionSet = field.selectionSet {
                    walk(selectionSet, parentType: compositeName(definition?.type.namedType))
                }
            case .fragmentSpread(let spread):
                context.spreads.append(SpreadVisit(spread: spread, parentType: parentType, definitionIndex: definition))
                context.spreadNames[definition, default: []].append(spread.name.value)
                walk(spread.directives, at: .fragmentSpread)
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { compositeName($0.value) } ?? parentType
                context.inlineFragments.append(InlineFragmentVisit(fragment: fragment, parentType: parentType))
                walk(fragment.directives, at: .inlineFragment)
                walk(fragment.selectionSet, parentType: type)
            }
        }
    }

    mutating func walk(_ directives: SyntaxList<Directive>, at location: DirectiveLocation) {
        guard !directives.isEmpty else { return }
        nodeCounter += 1
        for directive in directives {
            context.directives.append(DirectiveVisit(directive: directive, location: location, nodeKey: nodeCounter))
            let definition = schema.directive(named: directive.name.value)
            for argument in directive.arguments {
                let argumentDefinition = definition?.argument(named: argument.name.value)
                context.arguments.append(ArgumentVisit(argument: argument, owner: .directive(directive, definition),
                                                       definition: argumentDefinition, definitionIndex: self.definition))
                walk(argument.value, expected: argumentDefinition?.type,
                     hasDefault: argumentDefinition?.defaultValue != nil, oneOf: false)
            }
        }
    }

    /// Records variable usages with the type expected where they stand.
    mutating func walk(_ value: Value, expected: GraphQLTypeRef?, hasDefault: Bool, oneOf: Bool) {
        switch value.kind {
        case .variable(let name):
            context.variableUsages.append(VariableUsage(name: name, location: value.location, expectedType: expected,
                                                        hasLocationDefault: hasDefault, isOneOfField: oneOf,
                                                        definition: definition))
        case .list(let items):
            // A list written where a single value is expected: each item stands for that value.
            let itemType: GraphQLTypeRef? = expected.map { type in
                if case .list(let inner) = type.nullable { inner } else { type.nullable }
            }
            for item in items { walk(item, expected: itemType, hasDefault: false, oneOf: false) }
        case .object(let fields):
            let input: GraphQLInputObjectType? = expected.flatMap {
                if case .inputObject(let input)? = schema.type(named: $0.namedType) { input } else { nil }
            }
            for field in fields {
                let fieldDefinition = input?.field(named: field.name.value)
                walk(field.value, expected: fieldDefinition?.type, hasDefault: fieldDefinition?.defaultValue != nil,
                     oneOf: input?.isOneOf ?? false)
            }
        default:
            break
        }
    }
}
