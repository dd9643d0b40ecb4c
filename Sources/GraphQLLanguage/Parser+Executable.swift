extension Parser {
    static let typeSystemKeywords: Set<String> = ["schema", "scalar", "type", "interface", "union", "enum", "input", "directive"]

    /// Definition : ExecutableDefinition | TypeSystemDefinitionOrExtension
    mutating func parseDefinition() throws(GraphQLError) -> Definition {
        if token.kind == .braceLeft {
            return .operation(try parseOperationDefinition())
        }
        let hasDescription = token.kind == .string || token.kind == .blockString
        let keyword = hasDescription ? try lookahead() : token
        guard keyword.kind == .name else { throw unexpected(keyword) }
        switch text(keyword) {
        case "query", "mutation", "subscription":
            return .operation(try parseOperationDefinition())
        case "fragment":
            return .fragment(try parseFragmentDefinition())
        case "extend":
            if hasDescription {
                throw error(at: token, "Unexpected description, descriptions are not supported on type system extensions.")
            }
            return try parseTypeSystemExtension()
        case let word where Self.typeSystemKeywords.contains(word):
            return try parseTypeSystemDefinition(keyword: word)
        default:
            throw unexpected(keyword)
        }
    }

    /// Description : StringValue
    mutating func parseDescription() throws(GraphQLError) -> Description? {
        guard token.kind == .string || token.kind == .blockString else { return nil }
        let current = token
        try advance()
        return Description(value: lexer.value(of: current), isBlock: current.kind == .blockString, location: current.location)
    }

    /// OperationDefinition :
    ///   - Description? OperationType Name? VariablesDefinition? Directives? SelectionSet
    ///   - SelectionSet
    mutating func parseOperationDefinition() throws(GraphQLError) -> OperationDefinition {
        let start = token
        if token.kind == .braceLeft {
            let selectionSet = try parseSelectionSet()
            return OperationDefinition(description: nil, operation: .query, name: nil, variableDefinitions: [],
                                       directives: [], selectionSet: selectionSet, location: location(from: start))
        }
        let description = try parseDescription()
        let operation = try parseOperationType()
        let name = token.kind == .name ? try parseName() : nil
        let variables = try parseVariableDefinitions()
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return OperationDefinition(description: description, operation: operation, name: name, variableDefinitions: variables,
                                   directives: directives, selectionSet: selectionSet, location: location(from: start))
    }

    /// OperationType : one of `query` `mutation` `subscription`
    mutating func parseOperationType() throws(GraphQLError) -> OperationType {
        let current = try expect(.name)
        guard let operation = OperationType(rawValue: text(current)) else { throw unexpected(current) }
        return operation
    }

    /// VariablesDefinition : ( VariableDefinition+ )
    mutating func parseVariableDefinitions() throws(GraphQLError) -> [VariableDefinition] {
        guard try skip(.parenLeft) else { return [] }
        var definitions: [VariableDefinition] = []
        repeat {
            definitions.append(try parseVariableDefinition())
        } while try !skip(.parenRight)
        return definitions
    }

    /// VariableDefinition : Description? Variable : Type DefaultValue? Directives[Const]?
    mutating func parseVariableDefinition() throws(GraphQLError) -> VariableDefinition {
        let start = token
        let description = try parseDescription()
        let variable = try parseVariable()
        try expect(.colon)
        let type = try parseTypeReference()
        let defaultValue = try skip(.equals) ? try parseValue(constant: true) : nil
        let directives = try parseDirectives(constant: true)
        return VariableDefinition(description: description, variable: variable, type: type, defaultValue: defaultValue,
                                  directives: directives, location: location(from: start))
    }

    /// Variable : $ Name — returns the name, located at the name itself.
    mutating func parseVariable() throws(GraphQLError) -> Name {
        try expect(.dollar)
        return try parseName()
    }

    /// SelectionSet : { Selection+ }
    mutating func parseSelectionSet() throws(GraphQLError) -> SelectionSet {
        let start = token
        try enterNesting()
        try expect(.braceLeft)
        var selections: [Selection] = []
        repeat {
            selections.append(try parseSelection())
        } while try !skip(.braceRight)
        leaveNesting()
        return SelectionSet(selections: selections, location: location(from: start))
    }

    /// Selection : Field | FragmentSpread | InlineFragment
    mutating func parseSelection() throws(GraphQLError) -> Selection {
        token.kind == .spread ? try parseFragment() : .field(try parseField())
    }

    /// Field : Alias? Name Arguments? Directives? SelectionSet?
    mutating func parseField() throws(GraphQLError) -> Field {
        let start = token
        let nameOrAlias = try parseName()
        var alias: Name?
        var name = nameOrAlias
        if try skip(.colon) {
            alias = nameOrAlias
            name = try parseName()
        }
        let arguments = try parseArguments(constant: false)
        let directives = try parseDirectives(constant: false)
        let selectionSet = token.kind == .braceLeft ? try parseSelectionSet() : nil
        return Field(alias: alias, name: name, arguments: arguments, directives: directives,
                     selectionSet: selectionSet, location: location(from: start))
    }

    /// FragmentSpread : ... FragmentName Directives?
    /// InlineFragment : ... TypeCondition? Directives? SelectionSet
    mutating func parseFragment() throws(GraphQLError) -> Selection {
        let start = try expect(.spread)
        let hasTypeCondition = try skipKeyword("on")
        if !hasTypeCondition && token.kind == .name {
            let name = try parseName()
            let directives = try parseDirectives(constant: false)
            return .fragmentSpread(FragmentSpread(name: name, directives: directives, location: location(from: start)))
        }
        let typeCondition = hasTypeCondition ? try parseName() : nil
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return .inlineFragment(InlineFragment(typeCondition: typeCondition, directives: directives,
                                              selectionSet: selectionSet, location: location(from: start)))
    }

    /// FragmentDefinition : Description? fragment FragmentName TypeCondition Directives? SelectionSet
    mutating func parseFragmentDefinition() throws(GraphQLError) -> FragmentDefinition {
        let start = token
        let description = try parseDescription()
        try expectKeyword("fragment")
        let name = try parseFragmentName()
        try expectKeyword("on")
        let typeCondition = try parseName()
        let directives = try parseDirectives(constant: false)
        let selectionSet = try parseSelectionSet()
        return FragmentDefinition(description: description, name: name, typeCondition: typeCondition,
                                  directives: directives, selectionSet: selectionSet, location: location(from: start))
    }

    /// FragmentName : Name but not `on`
    mutating func parseFragmentName() throws(GraphQLError) -> Name {
        if isKeyword(token, "on") { throw unexpected() }
        return try parseName()
    }

    /// Arguments : ( Argument+ ) and Argument : Name : Value
    mutating func parseArguments(constant: Bool) throws(GraphQLError) -> [Argument] {
        guard try skip(.parenLeft) else { return [] }
        var arguments: [Argument] = []
        repeat {
            let start = token
            let name = try parseName()
            try expect(.colon)
            let value = try parseValue(constant: constant)
            arguments.append(Argument(name: name, value: value, location: location(from: start)))
        } while try !skip(.parenRight)
        return arguments
    }

    /// Directives : Directive+ and Directive : @ Name Arguments?
    mutating func parseDirectives(constant: Bool) throws(GraphQLError) -> [Directive] {
        guard token.kind == .at else { return [] }
        var directives: [Directive] = []
        while token.kind == .at {
            let start = token
            try advance()
            let name = try parseName()
            let arguments = try parseArguments(constant: constant)
            directives.append(Directive(name: name, arguments: arguments, location: location(from: start)))
        }
        return directives
    }
}
