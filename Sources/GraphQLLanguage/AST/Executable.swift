/// `query`, `mutation` or `subscription`.
public enum OperationType: String, Sendable, Hashable, CaseIterable {
    case query, mutation, subscription

    var flag: UInt8 {
        switch self {
        case .query: 0
        case .mutation: 1
        case .subscription: 2
        }
    }

    init(flag: UInt8) {
        self = flag == 1 ? .mutation : flag == 2 ? .subscription : .query
    }
}

/// An operation (spec §2.3). A shorthand `{ … }` query has no name, variables or directives.
public struct OperationDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var operation: OperationType { OperationType(flag: node.flag) }
    public var name: Name? { optionalName(node.b) }
    public var variableDefinitions: SyntaxList<VariableDefinition> { list(node.c) }
    public var directives: SyntaxList<Directive> { list(node.d) }
    public var selectionSet: SelectionSet { SelectionSet(tree: tree, index: node.e) }
}

/// `$name: Type = default @directives`, optionally described (spec §2.10, 2025 edition).
public struct VariableDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    /// The variable's name without `$`, located at the name itself.
    public var variable: Name { name(node.b) }
    public var type: TypeReference { TypeReference(tree: tree, index: node.c) }
    public var defaultValue: Value? { node.d == 0 ? nil : Value(tree: tree, index: node.d) }
    public var directives: SyntaxList<Directive> { list(node.e) }
}

/// `{ selections }` (spec §2.4).
public struct SelectionSet: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var selections: SyntaxList<Selection> { list(node.a) }
}

public enum Selection: SyntaxView, Hashable {
    case field(Field)
    case fragmentSpread(FragmentSpread)
    case inlineFragment(InlineFragment)

    public init(tree: SyntaxTree, index: UInt32) {
        switch tree[index].kind {
        case .fragmentSpread: self = .fragmentSpread(FragmentSpread(tree: tree, index: index))
        case .inlineFragment: self = .inlineFragment(InlineFragment(tree: tree, index: index))
        default: self = .field(Field(tree: tree, index: index))
        }
    }

    public var location: Location {
        switch self {
        case .field(let node): node.location
        case .fragmentSpread(let node): node.location
        case .inlineFragment(let node): node.location
        }
    }
}

/// `alias: name(arguments) @directives { … }` (spec §2.5).
public struct Field: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var alias: Name? { optionalName(node.a) }
    public var name: Name { name(node.b) }
    public var arguments: SyntaxList<Argument> { list(node.c) }
    public var directives: SyntaxList<Directive> { list(node.d) }
    public var selectionSet: SelectionSet? { node.e == 0 ? nil : SelectionSet(tree: tree, index: node.e) }

    /// The key this field has in the response.
    public var responseKey: String { name(node.a == 0 ? node.b : node.a).value }
}

/// `...Name @directives` (spec §2.8).
public struct FragmentSpread: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var name: Name { name(node.a) }
    public var directives: SyntaxList<Directive> { list(node.b) }
}

/// `... on Type @directives { … }` (spec §2.8.2).
public struct InlineFragment: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var typeCondition: Name? { optionalName(node.a) }
    public var directives: SyntaxList<Directive> { list(node.b) }
    public var selectionSet: SelectionSet { SelectionSet(tree: tree, index: node.c) }
}

/// `fragment Name on Type @directives { … }` (spec §2.8).
public struct FragmentDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var typeCondition: Name { name(node.c) }
    public var directives: SyntaxList<Directive> { list(node.d) }
    public var selectionSet: SelectionSet { SelectionSet(tree: tree, index: node.e) }
}
