import GraphQLLanguage

/// Directives used in SDL (spec §3.13 and §5.7, applied to type system documents as graphql-js
/// does): defined, in an allowed location, not repeated unless repeatable, with known, unique
/// and required arguments; the values Strata reads (`@deprecated`, `@specifiedBy`) must fit.
extension SchemaAssembly {
    mutating func checkDirectiveUsages(_ definitions: [Definition]) {
        for definition in definitions {
            switch definition {
            case .schema(let node):
                check(node.directives, at: .schema)
            case .schemaExtension(let node):
                check(node.directives, at: .schema)
            case .type(let node), .typeExtension(let node):
                checkDirectives(in: node)
            case .directive(let node):
                checkArguments(node.arguments)
            case .operation, .fragment:
                break
            }
        }
    }

    mutating func checkDirectives(in node: TypeDefinition) {
        switch node {
        case .scalar(let scalar):
            check(scalar.directives, at: .scalar)
        case .object(let object), .interface(let object):
            check(object.directives, at: { if case .object = node { .object } else { .interface } }())
            for field in object.fields {
                check(field.directives, at: .fieldDefinition)
                checkArguments(field.arguments)
            }
        case .union(let union):
            check(union.directives, at: .union)
        case .enumeration(let enumeration):
            check(enumeration.directives, at: .enumeration)
            for value in enumeration.values { check(value.directives, at: .enumValue) }
        case .inputObject(let input):
            check(input.directives, at: .inputObject)
            for field in input.fields {
                check(field.directives, at: .inputFieldDefinition)
                checkInputFieldNames(field.defaultValue)
            }
        }
    }

    mutating func checkArguments(_ arguments: SyntaxList<InputValueDefinition>) {
        for argument in arguments {
            check(argument.directives, at: .argumentDefinition)
            checkInputFieldNames(argument.defaultValue)
        }
    }

    mutating func check(_ usages: SyntaxList<Directive>, at location: DirectiveLocation) {
        var seen: [String: Directive] = [:]
        for usage in usages {
            let name = usage.name.value
            for argument in usage.arguments { checkInputFieldNames(argument.value) }
            guard let definition = directives[name] else {
                fail("Unknown directive \"@\(name)\".", [usage.location])
                continue
            }
            if !definition.locations.contains(location) {
                fail("Directive \"@\(name)\" may not be used on \(location.rawValue).", [usage.location])
            }
            if !definition.isRepeatable {
                if let first = seen[name] {
                    fail("The directive \"@\(name)\" can only be used once at this location.", [first.location, usage.location])
                } else {
                    seen[name] = usage
                }
            }
            checkArguments(of: usage, against: definition)
        }
    }

    mutating func checkArguments(of usage: Directive, against definition: GraphQLDirective) {
        var given: [String: Argument] = [:]
        for argument in usage.arguments {
            let name = argument.name.value
            if given[name] != nil {
                fail("There can be only one argument named \"\(name)\".", [given[name]!.name.location, argument.name.location])
                continue
            }
            given[name] = argument
            guard definition.argument(named: name) != nil else {
                let hint = Suggestion.didYouMean(name, among: definition.arguments.map(\.name))
                fail("Unknown argument \"\(name)\" on directive \"@\(definition.name)\".\(hint)", [argument.location])
                continue
            }
        }
        for argument in definition.arguments where argument.isRequired && given[argument.name] == nil {
            fail("Directive \"@\(definition.name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, but it was not provided.",
                 [usage.location])
        }
        // The built-in directives whose values the schema reads are checked as graphql-js does
        // when it reads them.
        guard ["deprecated", "specifiedBy"].contains(definition.name) else { return }
        let coercion = LiteralCoercion(schema: provisionalSchema)
        for (name, argument) in given {
            guard let expected = definition.argument(named: name)?.type else { continue }
            if coercion.coerce(argument.value, to: expected, variables: [:]) == nil {
                fail("Argument \"\(name)\" has invalid value \(Printer.print(argument.value)).", [argument.value.location])
            }
        }
    }

    /// An input object literal names each field once (spec §5.6.3), in default values and directive arguments too.
    mutating func checkInputFieldNames(_ value: Value?) {
        guard let value else { return }
        switch value.kind {
        case .list(let items):
            for item in items { checkInputFieldNames(item) }
        case .object(let fields):
            var seen: [String: Name] = [:]
            for field in fields {
                if let first = seen[field.name.value] {
                    fail("There can be only one input field named \"\(field.name.value)\".", [first.location, field.name.location])
                } else {
                    seen[field.name.value] = field.name
                }
                checkInputFieldNames(field.value)
            }
        default:
            break
        }
    }

    /// The types built so far, enough to coerce built-in scalar arguments.
    var provisionalSchema: GraphQLSchema {
        GraphQLSchema(description: nil, types: types, typeNames: typeNames, directives: directives, directiveNames: directiveNames,
                      queryTypeName: nil, mutationTypeName: nil, subscriptionTypeName: nil)
    }
}
