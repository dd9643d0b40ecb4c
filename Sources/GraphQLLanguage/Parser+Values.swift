extension Parser {
    /// Value[Const] :
    ///   [~Const] Variable | IntValue | FloatValue | StringValue | BooleanValue | NullValue
    ///   | EnumValue | ListValue[?Const] | ObjectValue[?Const]
    mutating func parseValue(constant: Bool) throws(GraphQLError) -> Value {
        let current = token
        switch current.kind {
        case .bracketLeft:
            return try parseList(constant: constant)
        case .braceLeft:
            return try parseObject(constant: constant)
        case .int:
            try advance()
            return Value(.int(text(current)), location: current.location)
        case .float:
            try advance()
            return Value(.float(text(current)), location: current.location)
        case .string, .blockString:
            try advance()
            return Value(.string(lexer.value(of: current), isBlock: current.kind == .blockString), location: current.location)
        case .name:
            try advance()
            let kind: Value.Kind = if lexer.spells(current, "true") {
                .boolean(true)
            } else if lexer.spells(current, "false") {
                .boolean(false)
            } else if lexer.spells(current, "null") {
                .null
            } else {
                .enumValue(text(current))
            }
            return Value(kind, location: current.location)
        case .dollar:
            if constant {
                let next = try lookahead()
                if next.kind == .name {
                    throw error(at: current, "Unexpected variable \"$\(text(next))\" in constant value.")
                }
                throw unexpected()
            }
            let variable = try parseVariable()
            return Value(.variable(variable.value), location: location(from: current))
        default:
            throw unexpected()
        }
    }

    /// ListValue[Const] : [ ] | [ Value[?Const]+ ]
    mutating func parseList(constant: Bool) throws(GraphQLError) -> Value {
        let start = token
        try enterNesting()
        try expect(.bracketLeft)
        var items: [Value] = []
        while try !skip(.bracketRight) {
            items.append(try parseValue(constant: constant))
        }
        leaveNesting()
        return Value(.list(items), location: location(from: start))
    }

    /// ObjectValue[Const] : { } | { ObjectField[?Const]+ }, ObjectField : Name : Value
    mutating func parseObject(constant: Bool) throws(GraphQLError) -> Value {
        let start = token
        try enterNesting()
        try expect(.braceLeft)
        var fields: [ObjectField] = []
        while try !skip(.braceRight) {
            let fieldStart = token
            let name = try parseName()
            try expect(.colon)
            let value = try parseValue(constant: constant)
            fields.append(ObjectField(name: name, value: value, location: location(from: fieldStart)))
        }
        leaveNesting()
        return Value(.object(fields), location: location(from: start))
    }

    /// Type : NamedType | ListType | NonNullType
    mutating func parseTypeReference() throws(GraphQLError) -> TypeReference {
        let start = token
        var type: TypeReference
        if try skip(.bracketLeft) {
            try enterNesting()
            let inner = try parseTypeReference()
            try expect(.bracketRight)
            leaveNesting()
            type = .list(inner, location(from: start))
        } else {
            type = .named(try parseName())
        }
        if try skip(.bang) {
            type = .nonNull(type, location(from: start))
        }
        return type
    }
}
