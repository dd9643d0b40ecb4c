import GraphQLLanguage
import GraphQLTypeSystem

/// Literal values fit the type expected where they are written: scalars parse, enum values
/// exist, input objects name only their fields and give the required ones, @oneOf objects give
/// exactly one non-null field (spec §5.6.1 Values of Correct Type, §5.6.2 Input Object Field
/// Names, §5.6.4 Input Object Required Fields).
enum ValuesOfCorrectTypeRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var checker = Checker(schema: context.schema)
        for (index, definition) in context.document.definitions.enumerated() {
            switch definition {
            case .operation(let operation):
                checker.variables = Dictionary(operation.variableDefinitions.map { ($0.variable.value, $0) }, uniquingKeysWith: { _, last in last })
                for variable in operation.variableDefinitions {
                    if let value = variable.defaultValue { checker.check(value, VariableCoercion.typeRef(variable.type)) }
                }
            default:
                break
            }
            for visit in context.arguments where visit.definitionIndex == index {
                checker.check(visit.argument.value, visit.definition?.type)
            }
        }
        for (message, location) in checker.problems { context.report(message, [location]) }
    }

    struct Checker {
        let schema: GraphQLSchema
        var variables: [String: VariableDefinition] = [:]
        var problems: [(String, Location)] = []

        mutating func report(_ message: String, _ location: Location) {
            problems.append((message, location))
        }

        mutating func check(_ value: Value, _ expected: GraphQLTypeRef?) {
            switch value.kind {
            case .variable:
                return
            case .null:
                if let expected, expected.isNonNull {
                    report("Expected value of type \"\(expected)\", found null.", value.location)
                }
            case .list(let items):
                guard case .list(let inner)? = expected?.nullable else {
                    checkLeaf(value, expected)
                    return
                }
                for item in items { check(item, inner) }
            case .object(let fields):
                guard let expected, case .inputObject(let input)? = schema.type(named: expected.namedType) else {
                    checkLeaf(value, expected)
                    return
                }
                checkObject(value, fields, input)
            default:
                checkLeaf(value, expected)
            }
        }

        mutating func checkObject(_ value: Value, _ fields: SyntaxList<ObjectField>, _ input: GraphQLInputObjectType) {
            let given = Set(fields.map(\.name.value))
            for field in input.fields where field.isRequired && !given.contains(field.name) {
                report("Field \"\(input.name).\(field.name)\" of required type \"\(field.type)\" was not provided.", value.location)
            }
            if input.isOneOf { checkOneOf(value, fields, input) }
            for field in fields {
                guard let definition = input.field(named: field.name.value) else {
                    let hint = Suggestion.didYouMean(field.name.value, among: input.fields.map(\.name))
                    report("Field \"\(field.name.value)\" is not defined by type \"\(input.name)\".\(hint)", field.location)
                    continue
                }
                check(field.value, definition.type)
            }
        }

        mutating func checkOneOf(_ value: Value, _ fields: SyntaxList<ObjectField>, _ input: GraphQLInputObjectType) {
            guard fields.count == 1 else {
                report("OneOf Input Object \"\(input.name)\" must specify exactly one key.", value.location)
                return
            }
            switch fields[0].value.kind {
            case .null:
                report("Field \"\(input.name).\(fields[0].name.value)\" must be non-null.", value.location)
            case .variable(let name):
                if let definition = variables[name], case .nonNull = definition.type { break }
                if variables[name] != nil {
                    report("Variable \"\(name)\" must be non-nullable to be used for OneOf Input Object \"\(input.name)\".", value.location)
                }
            default:
                break
            }
        }

        /// A scalar or enum literal (or a list or object where a leaf is expected).
        mutating func checkLeaf(_ value: Value, _ expected: GraphQLTypeRef?) {
            guard let expected, let type = schema.type(named: expected.namedType) else { return }
            let found = Printer.print(value)
            guard type.isLeaf else {
                report("Expected value of type \"\(expected)\", found \(found).", value.location)
                return
            }
            // graphql-js reports the scalar's or enum's own message as it is.
            if let problem = LeafLiteral.problem(value, type) {
                report(problem, value.location)
            }
        }
    }
}

/// Why a literal is not a value of a scalar or enum type (graphql-js's parseLiteral messages).
enum LeafLiteral {
    static func problem(_ value: Value, _ type: GraphQLNamedType) -> String? {
        let printed = Printer.print(value)
        switch type {
        case .enumeration(let enumeration):
            let names = enumeration.values.map(\.name)
            guard case .enumValue(let name) = value.kind else {
                return "Enum \"\(enumeration.name)\" cannot represent non-enum value: \(printed)."
                    + Suggestion.didYouMean(printed, among: names, what: "the enum value")
            }
            guard enumeration.value(named: name) != nil else {
                return "Value \"\(printed)\" does not exist in \"\(enumeration.name)\" enum."
                    + Suggestion.didYouMean(printed, among: names, what: "the enum value")
            }
            return nil
        case .scalar(let scalar):
            switch (scalar.name, value.kind) {
            case ("Int", .int(let text)):
                return Int32(text) == nil ? "Int cannot represent non 32-bit signed integer value: \(text)" : nil
            case ("Int", _):
                return "Int cannot represent non-integer value: \(printed)"
            case ("Float", .int), ("Float", .float):
                return nil
            case ("Float", _):
                return "Float cannot represent non numeric value: \(printed)"
            case ("String", .string):
                return nil
            case ("String", _):
                return "String cannot represent a non string value: \(printed)"
            case ("Boolean", .boolean):
                return nil
            case ("Boolean", _):
                return "Boolean cannot represent a non boolean value: \(printed)"
            case ("ID", .string), ("ID", .int):
                return nil
            case ("ID", _):
                return "ID cannot represent a non-string and non-integer value: \(printed)"
            default:
                return nil
            }
        default:
            return nil
        }
    }
}
