import GraphQLLanguage

/// Checks a built schema against the type system's rules (spec §3, "Type Validation" of each
/// kind of type, and §3.3.1 root operation types), with graphql-js's wording.
struct SchemaValidator {
    let schema: GraphQLSchema
    private(set) var errors: [GraphQLError] = []

    init(schema: GraphQLSchema) {
        self.schema = schema
    }

    mutating func fail(_ message: String, _ locations: [Location?] = []) {
        errors.append(GraphQLError(message, locations: locations.compactMap { $0?.sourceLocation }))
    }

    func validate() -> [GraphQLError] {
        var validator = self
        validator.validateRootTypes()
        for name in schema.directiveNames {
            if let directive = schema.directives[name] { validator.validate(directive) }
        }
        for name in schema.typeNames where !name.hasPrefix("__") {
            guard let type = schema.types[name] else { continue }
            switch type {
            case .object(let object), .interface(let object):
                validator.validateFields(of: object)
                validator.validateInterfaces(of: object)
            case .union(let union):
                validator.validate(union)
            case .enumeration(let enumeration):
                validator.validate(enumeration)
            case .inputObject(let input):
                validator.validate(input)
            case .scalar:
                break
            }
        }
        validator.validateInputCycles()
        return validator.errors
    }

    mutating func validateRootTypes() {
        guard let query = schema.queryTypeName else {
            fail("Query root type must be provided.")
            return
        }
        for (operation, name) in [(OperationType.query, query), (.mutation, schema.mutationTypeName), (.subscription, schema.subscriptionTypeName)] {
            guard let name, let type = schema.types[name] else { continue }
            if case .object = type { continue }
            let title = operation.rawValue.prefix(1).uppercased() + operation.rawValue.dropFirst()
            fail(operation == .query
                 ? "Query root type must be Object type, it cannot be \(name)."
                 : "\(title) root type must be Object type if provided, it cannot be \(name).", [type.location])
        }
    }

    mutating func validate(_ directive: GraphQLDirective) {
        for argument in directive.arguments {
            validate(argument, path: "@\(directive.name)(\(argument.name):)")
        }
    }

    /// An argument (of a field or a directive), named by its path as `T.f(x:)` or `@d(x:)`.
    mutating func validate(_ argument: GraphQLInputValue, path: String) {
        checkName(argument.name, location: argument.location)
        if !schema.isInputType(argument.type) {
            fail("The type of \(path) must be Input Type but got: \(argument.type).", [argument.location])
        }
        if argument.isRequired && argument.deprecationReason != nil {
            fail("Required argument \(path) cannot be deprecated.", [argument.location])
        }
    }

    mutating func validateFields(of type: GraphQLObjectType) {
        if type.fields.isEmpty {
            fail("Type \(type.name) must define one or more fields.", [type.location])
        }
        for field in type.fields {
            checkName(field.name, location: field.location)
            if !schema.isOutputType(field.type) {
                fail("The type of \(type.name).\(field.name) must be Output Type but got: \(field.type).", [field.location])
            }
            for argument in field.arguments {
                validate(argument, path: "\(type.name).\(field.name)(\(argument.name):)")
            }
        }
    }

    mutating func validate(_ union: GraphQLUnionType) {
        if union.members.isEmpty {
            fail("Union type \(union.name) must define one or more member types.", [union.location])
        }
        var seen: Set<String> = []
        for member in union.members {
            guard seen.insert(member).inserted else {
                fail("Union type \(union.name) can only include type \(member) once.", [union.location])
                continue
            }
            if case .object? = schema.types[member] { continue }
            fail("Union type \(union.name) can only include Object types, it cannot include \(member).", [union.location])
        }
    }

    mutating func validate(_ enumeration: GraphQLEnumType) {
        if enumeration.values.isEmpty {
            fail("Enum type \(enumeration.name) must define one or more values.", [enumeration.location])
        }
        for value in enumeration.values {
            checkName(value.name, location: value.location)
            if ["true", "false", "null"].contains(value.name) {
                fail("Enum type \(enumeration.name) cannot include value: \(value.name).", [value.location])
            }
        }
    }

    mutating func validate(_ input: GraphQLInputObjectType) {
        if input.fields.isEmpty {
            fail("Input Object type \(input.name) must define one or more fields.", [input.location])
        }
        for field in input.fields {
            checkName(field.name, location: field.location)
            if !schema.isInputType(field.type) {
                fail("The type of \(input.name).\(field.name) must be Input Type but got: \(field.type).", [field.location])
            }
            if field.isRequired && field.deprecationReason != nil {
                fail("Required input field \(input.name).\(field.name) cannot be deprecated.", [field.location])
            }
            if input.isOneOf {
                if field.type.isNonNull {
                    fail("OneOf input field \(input.name).\(field.name) must be nullable.", [field.location])
                }
                if field.defaultValue != nil {
                    fail("OneOf input field \(input.name).\(field.name) cannot have a default value.", [field.location])
                }
            }
        }
    }

    /// Names starting with `__` are reserved for introspection (spec §2.1.9).
    mutating func checkName(_ name: String, location: Location?) {
        if name.hasPrefix("__") {
            fail("Name \"\(name)\" must not begin with \"__\", which is reserved by GraphQL introspection.", [location])
        }
    }
}
