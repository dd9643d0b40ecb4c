extension Parser {
    /// Value[Const] :
    ///   [~Const] Variable | IntValue | FloatValue | StringValue | BooleanValue | NullValue
    ///   | EnumValue | ListValue[?Const] | ObjectValue[?Const]
    mutating func parseValue(constant: Bool) throws(GraphQLError) -> UInt32 {
        let current = token
        switch current.kind {
        case .bracketLeft:
            return try parseList(constant: constant)
        case .braceLeft:
            return try parseObject(constant: constant)
        case .int, .float, .string, .blockString:
            try advance()
            let kind: SyntaxKind = switch current.kind {
            case .int: .int
            case .float: .float
            case .string: .string
            default: .blockString
            }
            return add(SyntaxNode(kind, current.location))
        case .name:
            try advance()
            if lexer.spells(current, "true") {
                return add(SyntaxNode(.boolean, flag: 1, current.location))
            } else if lexer.spells(current, "false") {
                return add(SyntaxNode(.boolean, flag: 0, current.location))
            } else if lexer.spells(current, "null") {
                return add(SyntaxNode(.null, current.location))
            }
            return add(SyntaxNode(.enumValue, current.location))
        case .dollar:
            if constant {
                let next = try lookahead()
                if next.kind == .name {
                    throw error(at: current, "Unexpected variable \"$\(text(next))\" in constant value.")
                }
                throw unexpected()
            }
            let name = try parseVariable()
            return add(SyntaxNode(.variable, location(from: current), a: name))
        default:
            throw unexpected()
        }
    }

    /// ListValue[Const] : [ ] | [ Value[?Const]+ ]
    mutating func parseList(constant: Bool) throws(GraphQLError) -> UInt32 {
        let start = token
        try enterNesting()
        try expect(.bracketLeft)
        let list = openList()
        while try !skip(.bracketRight) {
            let item = try parseValue(constant: constant)
            pending.append(item)
        }
        leaveNesting()
        return add(SyntaxNode(.list, location(from: start), a: closeList(list)))
    }

    /// ObjectValue[Const] : { } | { ObjectField[?Const]+ }, ObjectField : Name : Value
    mutating func parseObject(constant: Bool) throws(GraphQLError) -> UInt32 {
        let start = token
        try enterNesting()
        try expect(.braceLeft)
        let list = openList()
        while try !skip(.braceRight) {
            let fieldStart = token
            let name = try parseName()
            try expect(.colon)
            let value = try parseValue(constant: constant)
            let field = add(SyntaxNode(.objectField, location(from: fieldStart), a: name, b: value))
            pending.append(field)
        }
        leaveNesting()
        return add(SyntaxNode(.object, location(from: start), a: closeList(list)))
    }

    /// Type : NamedType | ListType | NonNullType — a named type is its name node.
    mutating func parseTypeReference() throws(GraphQLError) -> UInt32 {
        let start = token
        var type: UInt32
        if try skip(.bracketLeft) {
            try enterNesting()
            let inner = try parseTypeReference()
            try expect(.bracketRight)
            leaveNesting()
            type = add(SyntaxNode(.listType, location(from: start), a: inner))
        } else {
            type = try parseName()
        }
        if try skip(.bang) {
            type = add(SyntaxNode(.nonNullType, location(from: start), a: type))
        }
        return type
    }
}
