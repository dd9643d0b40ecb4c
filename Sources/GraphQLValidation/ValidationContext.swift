import GraphQLLanguage
import GraphQLTypeSystem

/// What the rules see: the document, the schema, and what one typed walk of the document found
/// (`DocumentWalker`): every field with its parent type and definition, every argument, directive,
/// fragment spread and variable usage, each tagged with the definition it belongs to.
public struct ValidationContext {
    public let schema: GraphQLSchema
    public let document: Document
    /// Fragments by name (the first one, when a name is repeated).
    public let fragments: [String: FragmentDefinition]
    /// Definition index of each fragment name's first definition.
    let fragmentIndex: [String: Int]
    var collector: ValidationErrorLimit

    public internal(set) var fields: [FieldVisit] = []
    public internal(set) var arguments: [ArgumentVisit] = []
    public internal(set) var directives: [DirectiveVisit] = []
    public internal(set) var spreads: [SpreadVisit] = []
    public internal(set) var inlineFragments: [InlineFragmentVisit] = []
    public internal(set) var variableUsages: [VariableUsage] = []
    /// Fragment names each definition spreads directly, by definition index.
    public internal(set) var spreadNames: [Int: [String]] = [:]

    init(schema: GraphQLSchema, document: Document, maxErrors: Int) {
        self.schema = schema
        self.document = document
        var fragments: [String: FragmentDefinition] = [:]
        for fragment in document.fragments where fragments[fragment.name.value] == nil {
            fragments[fragment.name.value] = fragment
        }
        self.fragments = fragments
        var index: [String: Int] = [:]
        for (position, definition) in document.definitions.enumerated() {
            if case .fragment(let fragment) = definition, index[fragment.name.value] == nil {
                index[fragment.name.value] = position
            }
        }
        self.fragmentIndex = index
        self.collector = ValidationErrorLimit(maximum: maxErrors)
    }

    public var errors: [GraphQLError] { collector.errors }
    public var isExhausted: Bool { collector.isExhausted }

    public mutating func report(_ message: String, _ locations: [Location]) {
        collector.report(GraphQLError(message, locations: locations.map(\.sourceLocation), code: ErrorCode.validationFailed))
    }

    /// Definition indices of the fragments `definition` reaches through spreads, transitively.
    public func reachableFragments(from definition: Int) -> [Int] {
        var seen: Set<String> = []
        var order: [Int] = []
        var pending = spreadNames[definition] ?? []
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let index = fragmentIndex[name] else { continue }
            order.append(index)
            pending += spreadNames[index] ?? []
        }
        return order
    }

    /// Variable usages in an operation and every fragment it reaches.
    public func recursiveVariableUsages(of definition: Int) -> [VariableUsage] {
        let scope = Set([definition] + reachableFragments(from: definition))
        return variableUsages.filter { scope.contains($0.definition) }
    }
}

/// A field selection, with the type it was selected on and its definition there (nil when unknown).
public struct FieldVisit {
    public var field: Field
    public var parentType: String?
    public var definition: GraphQLField?
    public var definitionIndex: Int
}

public struct ArgumentVisit {
    public enum Owner {
        case field(Field, GraphQLField?, parentType: String?)
        case directive(Directive, GraphQLDirective?)
    }

    public var argument: Argument
    public var owner: Owner
    public var definition: GraphQLInputValue?
    public var definitionIndex: Int
}

public struct DirectiveVisit {
    public var directive: Directive
    public var location: DirectiveLocation
    /// Identifies the node the directive sits on, for uniqueness per location.
    public var nodeKey: Int
}

public struct SpreadVisit {
    public var spread: FragmentSpread
    public var parentType: String?
    public var definitionIndex: Int
}

public struct InlineFragmentVisit {
    public var fragment: InlineFragment
    public var parentType: String?
}

/// A variable used in a value, with the type expected at that position.
public struct VariableUsage {
    public var name: String
    public var location: Location
    public var expectedType: GraphQLTypeRef?
    /// The argument or input field at this position has a default value.
    public var hasLocationDefault: Bool
    /// The position is a field of a @oneOf input object (the variable must then be non-null).
    public var isOneOfField: Bool
    public var definition: Int
}
