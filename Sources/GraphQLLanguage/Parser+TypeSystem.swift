/// The word that opens a type-system definition.
enum TypeSystemKeyword {
    case schema, scalar, type, interface, union, enumeration, input, directive

    static let words: [(StaticString, TypeSystemKeyword)] = [
        ("schema", .schema), ("scalar", .scalar), ("type", .type), ("interface", .interface),
        ("union", .union), ("enum", .enumeration), ("input", .input), ("directive", .directive),
    ]

    /// The keyword `token` spells, if any (read from the bytes, without making a String).
    init?(_ lexer: Lexer, _ token: Token) {
        guard token.kind == .name, let match = Self.words.first(where: { lexer.spells(token, $0.0) }) else { return nil }
        self = match.1
    }
}

extension Parser {
    /// TypeSystemDefinition : SchemaDefinition | TypeDefinition | DirectiveDefinition
    mutating func parseTypeSystemDefinition(_ keyword: TypeSystemKeyword) throws(GraphQLError) -> UInt32 {
        let start = token
        let description = try parseDescription()
        switch keyword {
        case .schema:
            try advance()
            let directives = try parseDirectives(constant: true)
            let operations = try parseOperationTypeDefinitions(required: true)
            return add(SyntaxNode(.schema, location(from: start), a: description, b: directives, c: operations))
        case .directive:
            return try parseDirectiveDefinition(start: start, description: description)
        default:
            return try parseTypeDefinition(keyword, start: start, description: description, isExtension: false)
        }
    }

    /// The body of a named type definition or extension, after any description:
    /// ScalarTypeDefinition, ObjectTypeDefinition, InterfaceTypeDefinition, UnionTypeDefinition,
    /// EnumTypeDefinition, InputObjectTypeDefinition (spec §3.4–§3.10). An extension must add something.
    mutating func parseTypeDefinition(_ keyword: TypeSystemKeyword, start: Token, description: UInt32,
                                      isExtension: Bool) throws(GraphQLError) -> UInt32 {
        // The caller has seen the keyword (scalar, type, …) is the current token.
        try advance()
        let name = try parseName()
        let flag = isExtension ? SyntaxNode.extensionFlag : 0
        switch keyword {
        case .scalar:
            let directives = try parseDirectives(constant: true)
            if isExtension && directives == 0 { throw unexpected() }
            return add(SyntaxNode(.scalarType, flag: flag, location(from: start), a: description, b: name, c: directives))
        case .type, .interface:
            let interfaces = try parseImplementsInterfaces()
            let directives = try parseDirectives(constant: true)
            let fields = try parseFieldsDefinition()
            if isExtension && interfaces == 0 && directives == 0 && fields == 0 { throw unexpected() }
            return add(SyntaxNode(keyword == .type ? .objectType : .interfaceType, flag: flag, location(from: start),
                                  a: description, b: name, c: interfaces, d: directives, e: fields))
        case .union:
            let directives = try parseDirectives(constant: true)
            let members = try parseUnionMembers()
            if isExtension && directives == 0 && members == 0 { throw unexpected() }
            return add(SyntaxNode(.unionType, flag: flag, location(from: start), a: description, b: name, c: directives, d: members))
        case .enumeration:
            let directives = try parseDirectives(constant: true)
            let values = try parseEnumValues()
            if isExtension && directives == 0 && values == 0 { throw unexpected() }
            return add(SyntaxNode(.enumType, flag: flag, location(from: start), a: description, b: name, c: directives, d: values))
        default:
            let directives = try parseDirectives(constant: true)
            let fields = try parseInputValueDefinitions(closedBy: .braceLeft)
            if isExtension && directives == 0 && fields == 0 { throw unexpected() }
            return add(SyntaxNode(.inputObjectType, flag: flag, location(from: start),
                                  a: description, b: name, c: directives, d: fields))
        }
    }

    /// RootOperationTypeDefinition : OperationType : NamedType, inside `{ … }`.
    mutating func parseOperationTypeDefinitions(required: Bool) throws(GraphQLError) -> UInt32 {
        if !required && token.kind != .braceLeft { return 0 }
        try expect(.braceLeft)
        let list = openList()
        repeat {
            let start = token
            let operation = try parseOperationType()
            try expect(.colon)
            let type = try parseName()
            let definition = add(SyntaxNode(.operationType, flag: operation.flag, location(from: start), a: type))
            pending.append(definition)
        } while try !skip(.braceRight)
        return closeList(list)
    }

    /// ImplementsInterfaces : implements &? NamedType ( & NamedType )*
    mutating func parseImplementsInterfaces() throws(GraphQLError) -> UInt32 {
        guard try skipKeyword("implements") else { return 0 }
        _ = try skip(.ampersand)
        return try parseNames(separatedBy: .ampersand)
    }

    /// NamedType ( separator NamedType )*, as a list.
    mutating func parseNames(separatedBy separator: TokenKind) throws(GraphQLError) -> UInt32 {
        let list = openList()
        repeat {
            let name = try parseName()
            pending.append(name)
        } while try skip(separator)
        return closeList(list)
    }

    /// FieldsDefinition : { FieldDefinition+ }
    /// FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
    mutating func parseFieldsDefinition() throws(GraphQLError) -> UInt32 {
        guard try skip(.braceLeft) else { return 0 }
        let list = openList()
        repeat {
            let start = token
            let description = try parseDescription()
            let name = try parseName()
            let arguments = try parseInputValueDefinitions(closedBy: .parenLeft)
            try expect(.colon)
            let type = try parseTypeReference()
            let directives = try parseDirectives(constant: true)
            let field = add(SyntaxNode(.fieldDefinition, location(from: start),
                                       a: description, b: name, c: arguments, d: type, e: directives))
            pending.append(field)
        } while try !skip(.braceRight)
        return closeList(list)
    }

    /// ArgumentsDefinition : ( InputValueDefinition+ ) when `open` is `(`;
    /// InputFieldsDefinition : { InputValueDefinition+ } when it is `{`.
    mutating func parseInputValueDefinitions(closedBy open: TokenKind) throws(GraphQLError) -> UInt32 {
        guard try skip(open) else { return 0 }
        let close: TokenKind = open == .parenLeft ? .parenRight : .braceRight
        let list = openList()
        repeat {
            let definition = try parseInputValueDefinition()
            pending.append(definition)
        } while try !skip(close)
        return closeList(list)
    }

    /// InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
    mutating func parseInputValueDefinition() throws(GraphQLError) -> UInt32 {
        let start = token
        let description = try parseDescription()
        let name = try parseName()
        try expect(.colon)
        let type = try parseTypeReference()
        let defaultValue = try skip(.equals) ? try parseValue(constant: true) : 0
        let directives = try parseDirectives(constant: true)
        return add(SyntaxNode(.inputValueDefinition, location(from: start),
                              a: description, b: name, c: type, d: defaultValue, e: directives))
    }

    /// UnionMemberTypes : = |? NamedType ( | NamedType )*
    mutating func parseUnionMembers() throws(GraphQLError) -> UInt32 {
        guard try skip(.equals) else { return 0 }
        _ = try skip(.pipe)
        return try parseNames(separatedBy: .pipe)
    }

    /// EnumValuesDefinition : { EnumValueDefinition+ }, EnumValueDefinition : Description? EnumValue Directives[Const]?
    /// EnumValue : Name but not `true`, `false` or `null`
    mutating func parseEnumValues() throws(GraphQLError) -> UInt32 {
        guard try skip(.braceLeft) else { return 0 }
        let list = openList()
        repeat {
            let start = token
            let description = try parseDescription()
            if isKeyword(token, "true") || isKeyword(token, "false") || isKeyword(token, "null") {
                throw error(at: token, "\(describe(token)) is reserved and cannot be used for an enum value.")
            }
            let name = try parseName()
            let directives = try parseDirectives(constant: true)
            let value = add(SyntaxNode(.enumValueDefinition, location(from: start), a: description, b: name, c: directives))
            pending.append(value)
        } while try !skip(.braceRight)
        return closeList(list)
    }

    /// DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
    mutating func parseDirectiveDefinition(start: Token, description: UInt32) throws(GraphQLError) -> UInt32 {
        try expectKeyword("directive")
        try expect(.at)
        let name = try parseName()
        let arguments = try parseInputValueDefinitions(closedBy: .parenLeft)
        let repeatable = try skipKeyword("repeatable")
        try expectKeyword("on")
        _ = try skip(.pipe)
        let list = openList()
        repeat {
            let location = try parseDirectiveLocation()
            pending.append(location)
        } while try skip(.pipe)
        return add(SyntaxNode(.directiveDefinition, flag: repeatable ? 1 : 0, location(from: start),
                              a: description, b: name, c: arguments, d: closeList(list)))
    }

    /// DirectiveLocation : ExecutableDirectiveLocation | TypeSystemDirectiveLocation
    mutating func parseDirectiveLocation() throws(GraphQLError) -> UInt32 {
        let current = token
        let name = try parseName()
        guard DirectiveLocation(rawValue: text(current)) != nil else { throw unexpected(current) }
        return name
    }

    /// TypeSystemExtension : SchemaExtension | TypeExtension
    mutating func parseTypeSystemExtension() throws(GraphQLError) -> UInt32 {
        let start = token
        let next = try lookahead()
        guard let keyword = TypeSystemKeyword(lexer, next) else { throw unexpected(next) }
        switch keyword {
        case .schema:
            try expectKeyword("extend")
            try expectKeyword("schema")
            let directives = try parseDirectives(constant: true)
            let operations = try parseOperationTypeDefinitions(required: false)
            if directives == 0 && operations == 0 { throw unexpected() }
            return add(SyntaxNode(.schema, flag: SyntaxNode.extensionFlag, location(from: start), b: directives, c: operations))
        case .directive:
            throw unexpected(next)
        default:
            try expectKeyword("extend")
            return try parseTypeDefinition(keyword, start: start, description: 0, isExtension: true)
        }
    }
}
