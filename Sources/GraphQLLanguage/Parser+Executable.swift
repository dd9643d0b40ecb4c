extension Parser {
    /// Definition : ExecutableDefinition | TypeSystemDefinitionOrExtension
    mutating func parseDefinition() throws(GraphQLError) -> UInt32 {
        if token.kind == .braceLeft {
            return try parseOperationDefinition()
        }
        let hasDescription = token.kind == .string || token.kind == .blockString
        let keyword = hasDescription ? try lookahead() : token
        guard keyword.kind == .name else { throw unexpected(keyword) }
        if isKeyword(keyword, "query") || isKeyword(keyword, "mutation") || isKeyword(keyword, "subscription") {
            return try parseOperationDefinition()
        }
        if isKeyword(keyword, "fragment") {
            return try parseFragmentDefinition()
        }
        if isKeyword(keyword, "extend") {
            if hasDescription {
                throw error(at: token, "Unexpected description, descriptions are not supported on type system extensions.")
            }
            return try parseTypeSystemExtension()
        }
        guard let definition = TypeSystemKeyword(lexer, keyword) else { throw unexpected(keyword) }
        return try parseTypeSystemDefinition(definition)
    }

    /// Description : StringValue
    mutating func parseDescription() throws(GraphQLError) -> UInt32 {
        guard token.kind == .string || token.kind == .blockString else { return 0 }
        let current = token
        try advance()
        return add(SyntaxNode(current.kind == .blockString ? .blockString : .string, current.location))
    }

    /// OperationDefinition :
    ///   - Description? OperationType Name? VariablesDefinition? Directives? SelectionSet
    ///   - SelectionSet
    mutating func parseOperationDefinition() throws(GraphQLError) -> UInt32 {
        let start = token
        if token.kind == .braceLeft {
            let selectionSet = try parseSelectionSet()
            return add(SyntaxNode(.operation, flag: OperationType.query.flag, location(from: start), e: selectionSet))
        }
        let description = try parseDescription()
        let operation = try parseOperationType()
        let name = token.kind == .name ? try parseName() : 0
        let variables = try parseVariableDefinitions()
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return add(SyntaxNode(.operation, flag: operation.flag, location(from: start),
                              a: description, b: name, c: variables, d: directives, e: selectionSet))
    }

    /// OperationType : one of `query` `mutation` `subscription`
    mutating func parseOperationType() throws(GraphQLError) -> OperationType {
        let current = try expect(.name)
        if isKeyword(current, "query") { return .query }
        if isKeyword(current, "mutation") { return .mutation }
        if isKeyword(current, "subscription") { return .subscription }
        throw unexpected(current)
    }

    /// VariablesDefinition : ( VariableDefinition+ )
    mutating func parseVariableDefinitions() throws(GraphQLError) -> UInt32 {
        guard try skip(.parenLeft) else { return 0 }
        let list = openList()
        repeat {
            let definition = try parseVariableDefinition()
            pending.append(definition)
        } while try !skip(.parenRight)
        return closeList(list)
    }

    /// VariableDefinition : Description? Variable : Type DefaultValue? Directives[Const]?
    mutating func parseVariableDefinition() throws(GraphQLError) -> UInt32 {
        let start = token
        let description = try parseDescription()
        let variable = try parseVariable()
        try expect(.colon)
        let type = try parseTypeReference()
        let defaultValue = try skip(.equals) ? try parseValue(constant: true) : 0
        let directives = try parseDirectives(constant: true)
        return add(SyntaxNode(.variableDefinition, location(from: start),
                              a: description, b: variable, c: type, d: defaultValue, e: directives))
    }

    /// Variable : $ Name — returns the name, located at the name itself.
    mutating func parseVariable() throws(GraphQLError) -> UInt32 {
        try expect(.dollar)
        return try parseName()
    }

    /// SelectionSet : { Selection+ }
    mutating func parseSelectionSet() throws(GraphQLError) -> UInt32 {
        let start = token
        try enterNesting()
        try expect(.braceLeft)
        let list = openList()
        repeat {
            let selection = token.kind == .spread ? try parseFragment() : try parseField()
            pending.append(selection)
        } while try !skip(.braceRight)
        leaveNesting()
        return add(SyntaxNode(.selectionSet, location(from: start), a: closeList(list)))
    }

    /// Field : Alias? Name Arguments? Directives? SelectionSet?
    mutating func parseField() throws(GraphQLError) -> UInt32 {
        let start = token
        var alias: UInt32 = 0
        var name = try parseName()
        if try skip(.colon) {
            alias = name
            name = try parseName()
        }
        let arguments = try parseArguments(constant: false)
        let directives = try parseDirectives(constant: false)
        let selectionSet = token.kind == .braceLeft ? try parseSelectionSet() : 0
        return add(SyntaxNode(.field, location(from: start),
                              a: alias, b: name, c: arguments, d: directives, e: selectionSet))
    }

    /// FragmentSpread : ... FragmentName Directives?
    /// InlineFragment : ... TypeCondition? Directives? SelectionSet
    mutating func parseFragment() throws(GraphQLError) -> UInt32 {
        let start = try expect(.spread)
        let hasTypeCondition = try skipKeyword("on")
        if !hasTypeCondition && token.kind == .name {
            let name = try parseName()
            let directives = try parseDirectives(constant: false)
            return add(SyntaxNode(.fragmentSpread, location(from: start), a: name, b: directives))
        }
        let typeCondition = hasTypeCondition ? try parseName() : 0
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return add(SyntaxNode(.inlineFragment, location(from: start), a: typeCondition, b: directives, c: selectionSet))
    }

    /// FragmentDefinition : Description? fragment FragmentName TypeCondition Directives? SelectionSet
    mutating func parseFragmentDefinition() throws(GraphQLError) -> UInt32 {
        let start = token
        let description = try parseDescription()
        try expectKeyword("fragment")
        let name = try parseFragmentName()
        try expectKeyword("on")
        let typeCondition = try parseName()
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return add(SyntaxNode(.fragmentDefinition, location(from: start),
                              a: description, b: name, c: typeCondition, d: directives, e: selectionSet))
    }

    /// FragmentName : Name but not `on`
    mutating func parseFragmentName() throws(GraphQLError) -> UInt32 {
        if isKeyword(token, "on") { throw unexpected() }
        return try parseName()
    }

    /// Arguments : ( Argument+ ) and Argument : Name : Value
    mutating func parseArguments(constant: Bool) throws(GraphQLError) -> UInt32 {
        guard try skip(.parenLeft) else { return 0 }
        let list = openList()
        repeat {
            let start = token
            let name = try parseName()
            try expect(.colon)
            let value = try parseValue(constant: constant)
            let argument = add(SyntaxNode(.argument, location(from: start), a: name, b: value))
            pending.append(argument)
        } while try !skip(.parenRight)
        return closeList(list)
    }

    /// Directives : Directive+ and Directive : @ Name Arguments?
    mutating func parseDirectives(constant: Bool) throws(GraphQLError) -> UInt32 {
        guard token.kind == .at else { return 0 }
        let list = openList()
        while token.kind == .at {
            let start = token
            try advance()
            let name = try parseName()
            let arguments = try parseArguments(constant: constant)
            let directive = add(SyntaxNode(.directive, location(from: start), a: name, b: arguments))
            pending.append(directive)
        }
        return closeList(list)
    }
}
