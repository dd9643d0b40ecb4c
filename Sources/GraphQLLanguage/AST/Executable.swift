/// `query`, `mutation` or `subscription`.
public enum OperationType: String, Sendable, Hashable, CaseIterable {
    case query, mutation, subscription
}

/// An operation (spec §2.3). A shorthand `{ … }` query has no name, variables or directives.
public struct OperationDefinition: Sendable, Hashable {
    public var description: Description?
    public var operation: OperationType
    public var name: Name?
    public var variableDefinitions: [VariableDefinition]
    public var directives: [Directive]
    public var selectionSet: SelectionSet
    public var location: Location
}

/// `$name: Type = default @directives`, optionally described (spec §2.10, 2025 edition).
public struct VariableDefinition: Sendable, Hashable {
    public var description: Description?
    /// The variable's name without `$`, located at the name itself.
    public var variable: Name
    public var type: TypeReference
    public var defaultValue: Value?
    public var directives: [Directive]
    public var location: Location
}

/// `{ selections }` (spec §2.4).
public struct SelectionSet: Sendable, Hashable {
    public var selections: [Selection]
    public var location: Location
}

public enum Selection: Sendable, Hashable {
    case field(Field)
    case fragmentSpread(FragmentSpread)
    case inlineFragment(InlineFragment)

    public var location: Location {
        switch self {
        case .field(let node): node.location
        case .fragmentSpread(let node): node.location
        case .inlineFragment(let node): node.location
        }
    }
}

/// `alias: name(arguments) @directives { … }` (spec §2.5).
public struct Field: Sendable, Hashable {
    public var alias: Name?
    public var name: Name
    public var arguments: [Argument]
    public var directives: [Directive]
    public var selectionSet: SelectionSet?
    public var location: Location

    /// The key this field has in the response.
    public var responseKey: String { alias?.value ?? name.value }
}

/// `...Name @directives` (spec §2.8).
public struct FragmentSpread: Sendable, Hashable {
    public var name: Name
    public var directives: [Directive]
    public var location: Location
}

/// `... on Type @directives { … }` (spec §2.8.2).
public struct InlineFragment: Sendable, Hashable {
    public var typeCondition: Name?
    public var directives: [Directive]
    public var selectionSet: SelectionSet
    public var location: Location
}

/// `fragment Name on Type @directives { … }` (spec §2.8).
public struct FragmentDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var typeCondition: Name
    public var directives: [Directive]
    public var selectionSet: SelectionSet
    public var location: Location
}
