extension Parser {
    /// TypeSystemDefinition : SchemaDefinition | TypeDefinition | DirectiveDefinition
    mutating func parseTypeSystemDefinition(keyword: String) throws(GraphQLError) -> Definition {
        let start = token
        let description = try parseDescription()
        switch keyword {
        case "schema":
            try advance()
            let directives = try parseDirectives(constant: true)
            let operations = try parseOperationTypeDefinitions(required: true)
            return .schema(SchemaDefinition(description: description, directives: directives,
                                            operationTypes: operations, location: location(from: start)))
        case "directive":
            return .directive(try parseDirectiveDefinition(start: start, description: description))
        default:
            return .type(try parseTypeDefinition(keyword: keyword, start: start, description: description, isExtension: false))
        }
    }

    /// The body of a named type definition or extension, after any description:
    /// ScalarTypeDefinition, ObjectTypeDefinition, InterfaceTypeDefinition, UnionTypeDefinition,
    /// EnumTypeDefinition, InputObjectTypeDefinition (spec §3.4–§3.10). An extension must add something.
    mutating func parseTypeDefinition(keyword: String, start: Token, description: Description?,
                                      isExtension: Bool) throws(GraphQLError) -> TypeDefinition {
        // The caller has seen the keyword (scalar, type, …) is the current token.
        try advance()
        let name = try parseName()
        switch keyword {
        case "scalar":
            let directives = try parseDirectives(constant: true)
            if isExtension && directives.isEmpty { throw unexpected() }
            return .scalar(ScalarTypeDefinition(description: description, name: name, directives: directives,
                                                location: location(from: start)))
        case "type", "interface":
            let interfaces = try parseImplementsInterfaces()
            let directives = try parseDirectives(constant: true)
            let fields = try parseFieldsDefinition()
            if isExtension && interfaces.isEmpty && directives.isEmpty && fields.isEmpty { throw unexpected() }
            let node = ObjectTypeDefinition(description: description, name: name, interfaces: interfaces,
                                            directives: directives, fields: fields, location: location(from: start))
            return keyword == "type" ? .object(node) : .interface(node)
        case "union":
            let directives = try parseDirectives(constant: true)
            let members = try parseUnionMembers()
            if isExtension && directives.isEmpty && members.isEmpty { throw unexpected() }
            return .union(UnionTypeDefinition(description: description, name: name, directives: directives,
                                              members: members, location: location(from: start)))
        case "enum":
            let directives = try parseDirectives(constant: true)
            let values = try parseEnumValues()
            if isExtension && directives.isEmpty && values.isEmpty { throw unexpected() }
            return .enumeration(EnumTypeDefinition(description: description, name: name, directives: directives,
                                                   values: values, location: location(from: start)))
        default:
            let directives = try parseDirectives(constant: true)
            let fields = try parseInputFieldsDefinition()
            if isExtension && directives.isEmpty && fields.isEmpty { throw unexpected() }
            return .inputObject(InputObjectTypeDefinition(description: description, name: name, directives: directives,
                                                          fields: fields, location: location(from: start)))
        }
    }

    /// RootOperationTypeDefinition : OperationType : NamedType, inside `{ … }`.
    mutating func parseOperationTypeDefinitions(required: Bool) throws(GraphQLError) -> [OperationTypeDefinition] {
        if !required && token.kind != .braceLeft { return [] }
        try expect(.braceLeft)
        var operations: [OperationTypeDefinition] = []
        repeat {
            let start = token
            let operation = try parseOperationType()
            try expect(.colon)
            let type = try parseName()
            operations.append(OperationTypeDefinition(operation: operation, type: type, location: location(from: start)))
        } while try !skip(.braceRight)
        return operations
    }

    /// ImplementsInterfaces : implements &? NamedType ( & NamedType )*
    mutating func parseImplementsInterfaces() throws(GraphQLError) -> [Name] {
        guard try skipKeyword("implements") else { return [] }
        _ = try skip(.ampersand)
        var names = [try parseName()]
        while try skip(.ampersand) {
            names.append(try parseName())
        }
        return names
    }

    /// FieldsDefinition : { FieldDefinition+ }
    /// FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
    mutating func parseFieldsDefinition() throws(GraphQLError) -> [FieldDefinition] {
        guard try skip(.braceLeft) else { return [] }
        var fields: [FieldDefinition] = []
        repeat {
            let start = token
            let description = try parseDescription()
            let name = try parseName()
            let arguments = try parseArgumentDefinitions()
            try expect(.colon)
            let type = try parseTypeReference()
            let directives = try parseDirectives(constant: true)
            fields.append(FieldDefinition(description: description, name: name, arguments: arguments, type: type,
                                          directives: directives, location: location(from: start)))
        } while try !skip(.braceRight)
        return fields
    }

    /// ArgumentsDefinition : ( InputValueDefinition+ )
    mutating func parseArgumentDefinitions() throws(GraphQLError) -> [InputValueDefinition] {
        guard try skip(.parenLeft) else { return [] }
        var arguments: [InputValueDefinition] = []
        repeat {
            arguments.append(try parseInputValueDefinition())
        } while try !skip(.parenRight)
        return arguments
    }

    /// InputFieldsDefinition : { InputValueDefinition+ }
    mutating func parseInputFieldsDefinition() throws(GraphQLError) -> [InputValueDefinition] {
        guard try skip(.braceLeft) else { return [] }
        var fields: [InputValueDefinition] = []
        repeat {
            fields.append(try parseInputValueDefinition())
        } while try !skip(.braceRight)
        return fields
    }

    /// InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
    mutating func parseInputValueDefinition() throws(GraphQLError) -> InputValueDefinition {
        let start = token
        let description = try parseDescription()
        let name = try parseName()
        try expect(.colon)
        let type = try parseTypeReference()
        let defaultValue = try skip(.equals) ? try parseValue(constant: true) : nil
        let directives = try parseDirectives(constant: true)
        return InputValueDefinition(description: description, name: name, type: type, defaultValue: defaultValue,
                                    directives: directives, location: location(from: start))
    }

    /// UnionMemberTypes : = |? NamedType ( | NamedType )*
    mutating func parseUnionMembers() throws(GraphQLError) -> [Name] {
        guard try skip(.equals) else { return [] }
        _ = try skip(.pipe)
        var names = [try parseName()]
        while try skip(.pipe) {
            names.append(try parseName())
        }
        return names
    }

    /// EnumValuesDefinition : { EnumValueDefinition+ }, EnumValueDefinition : Description? EnumValue Directives[Const]?
    /// EnumValue : Name but not `true`, `false` or `null`
    mutating func parseEnumValues() throws(GraphQLError) -> [EnumValueDefinition] {
        guard try skip(.braceLeft) else { return [] }
        var values: [EnumValueDefinition] = []
        repeat {
            let start = token
            let description = try parseDescription()
            if isKeyword(token, "true") || isKeyword(token, "false") || isKeyword(token, "null") {
                throw error(at: token, "\(describe(token)) is reserved and cannot be used for an enum value.")
            }
            let name = try parseName()
            let directives = try parseDirectives(constant: true)
            values.append(EnumValueDefinition(description: description, name: name, directives: directives,
                                              location: location(from: start)))
        } while try !skip(.braceRight)
        return values
    }

    /// DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
    mutating func parseDirectiveDefinition(start: Token, description: Description?) throws(GraphQLError) -> DirectiveDefinition {
        try expectKeyword("directive")
        try expect(.at)
        let name = try parseName()
        let arguments = try parseArgumentDefinitions()
        let repeatable = try skipKeyword("repeatable")
        try expectKeyword("on")
        _ = try skip(.pipe)
        var locations = [try parseDirectiveLocation()]
        while try skip(.pipe) {
            locations.append(try parseDirectiveLocation())
        }
        return DirectiveDefinition(description: description, name: name, arguments: arguments, isRepeatable: repeatable,
                                   locations: locations, location: location(from: start))
    }

    /// DirectiveLocation : ExecutableDirectiveLocation | TypeSystemDirectiveLocation
    mutating func parseDirectiveLocation() throws(GraphQLError) -> Name {
        let current = token
        let name = try parseName()
        guard DirectiveLocation(rawValue: name.value) != nil else { throw unexpected(current) }
        return name
    }

    /// TypeSystemExtension : SchemaExtension | TypeExtension
    mutating func parseTypeSystemExtension() throws(GraphQLError) -> Definition {
        let start = token
        let keyword = try lookahead()
        guard keyword.kind == .name else { throw unexpected(keyword) }
        let word = text(keyword)
        switch word {
        case "schema":
            try expectKeyword("extend")
            try expectKeyword("schema")
            let directives = try parseDirectives(constant: true)
            let operations = try parseOperationTypeDefinitions(required: false)
            if directives.isEmpty && operations.isEmpty { throw unexpected() }
            return .schemaExtension(SchemaExtension(directives: directives, operationTypes: operations,
                                                    location: location(from: start)))
        case "scalar", "type", "interface", "union", "enum", "input":
            try expectKeyword("extend")
            return .typeExtension(try parseTypeDefinition(keyword: word, start: start, description: nil, isExtension: true))
        default:
            throw unexpected(keyword)
        }
    }
}
