import GraphQLLanguage
import GraphQLTypeSystem

/// An argument's value wherever it came from: written in the document, a variable of the
/// request, or a part of a variable's value. The document is valid and the variables coerced,
/// so shapes match the schema; this only reads them.
enum InputValue {
    case literal(Value)
    /// A value inside a variable, and where in which variable it sits.
    case json(JSONValue, from: VariableMember)

    /// What a value is, once variables are looked up.
    enum Shape {
        case absent
        case null
        case scalar
        case enumValue(String)
        case list([InputValue])
        case object([(String, InputValue)])
    }
}

/// The request's variables, and which of them shaped the plan.
final class VariableReader {
    /// Each provided variable's value, or its definition's default.
    private let values: [String: InputValue]
    /// Variables whose value was read (so the plan depends on it).
    private(set) var structural: Set<String> = []
    /// Variables whose layout alone shaped the plan — which members and how many list items —
    /// while their scalars stay parameters (the rows of an insert).
    private(set) var laidOut: Set<String> = []

    /// No variables: for statements planned from the schema alone (event triggers).
    init() {
        values = [:]
    }

    init(definitions: SyntaxList<VariableDefinition>, provided: [String: JSONValue]) {
        var values: [String: InputValue] = [:]
        for definition in definitions {
            let name = definition.variable.value
            if let value = provided[name] {
                values[name] = .json(value, from: VariableMember(variable: name, path: []))
            } else if let fallback = definition.defaultValue {
                values[name] = .literal(fallback)
                // A default written in the document: the plan may fold it in.
                structural.insert(name)
            }
        }
        self.values = values
    }

    func markAllStructural() {
        structural.formUnion(values.keys)
    }

    /// The shape of a value; reading a variable's shape makes the plan depend on its value.
    func shape(_ input: InputValue) -> InputValue.Shape {
        switch input {
        case .json(let value, let member):
            structural.insert(member.variable)
            return Self.shape(value, at: member)
        case .literal(let value):
            switch value.kind {
            case .variable(let name):
                structural.insert(name)
                guard let resolved = values[name] else { return .absent }
                return shape(resolved)
            case .null: return .null
            case .enumValue(let name): return .enumValue(name)
            case .list(let items): return .list(items.map { InputValue.literal($0) })
            case .object(let fields): return .object(fields.map { ($0.name.value, InputValue.literal($0.value)) })
            case .int, .float, .string, .boolean: return .scalar
            }
        }
    }

    static func shape(_ value: JSONValue, at member: VariableMember) -> InputValue.Shape {
        switch value {
        case .null: .null
        case .array(let items): .list(items.enumerated().map { InputValue.json($1, from: member.appending(.index($0))) })
        case .object(let members): .object(members.map { ($0.0, InputValue.json($0.1, from: member.appending(.key($0.0)))) })
        case .string(let text): .enumValue(text)
        case .bool, .number: .scalar
        }
    }

    /// The shape of a value whose scalars will be bound, not read: a variable read this way
    /// shapes the plan by its layout only, and strings inside it are values, not enum names.
    func layout(_ input: InputValue) -> InputValue.Shape {
        switch input {
        case .json(let value, let member):
            laidOut.insert(member.variable)
            if case .string = value { return .scalar }
            return Self.shape(value, at: member)
        case .literal(let value):
            if case .variable(let name) = value.kind {
                guard let resolved = values[name] else { return .absent }
                return layout(resolved)
            }
            if case .enumValue = value.kind { return .scalar }
            return shape(input)
        }
    }

    /// The JSON a variable reference or a part of a variable holds, and where; reading it this
    /// way makes the plan depend on the variable's layout only. Nil for written values.
    func laidOutJSON(_ input: InputValue) -> (value: JSONValue, member: VariableMember)? {
        switch input {
        case .json(let value, let member):
            laidOut.insert(member.variable)
            return (value, member)
        case .literal(let value):
            guard case .variable(let name) = value.kind, let resolved = values[name] else { return nil }
            return laidOutJSON(resolved)
        }
    }

    /// Records that a variable's layout shaped the plan while its scalars are parameters.
    func markLaidOut(_ variable: String) {
        laidOut.insert(variable)
    }

    /// Whether a variable was sent, sent as null, or sent with a value.
    enum VariableState: Hashable {
        case absent, null, present
    }

    /// If `input` is a variable reference, the variable's name and state. Only the state is
    /// read, which every plan's cache key holds.
    func variableReference(_ input: InputValue) -> (name: String, state: VariableState)? {
        guard case .literal(let value) = input, case .variable(let name) = value.kind else { return nil }
        return (name, state(of: name))
    }

    func state(of name: String) -> VariableState {
        switch values[name] {
        case nil: return .absent
        case .json(.null, _)?: return .null
        case .literal(let fallback)?:
            if case .null = fallback.kind { return .null }
            return .present
        default: return .present
        }
    }

    /// A boolean, for arguments that change the plan (`@skip(if:)`, `count(distinct:)`).
    func boolean(_ input: InputValue) -> Bool? {
        switch input {
        case .json(.bool(let flag), let member):
            structural.insert(member.variable)
            return flag
        case .json: return nil
        case .literal(let value):
            switch value.kind {
            case .boolean(let flag): return flag
            case .variable(let name):
                structural.insert(name)
                return values[name].flatMap(boolean)
            default: return nil
            }
        }
    }

    /// An integer, for arguments the plan folds in.
    func integer(_ input: InputValue) -> Int? {
        switch input {
        case .json(.number(let text), let member):
            structural.insert(member.variable)
            return Int(text)
        case .json: return nil
        case .literal(let value):
            switch value.kind {
            case .int(let text): return Int(text)
            case .variable(let name):
                structural.insert(name)
                return values[name].flatMap(integer)
            default: return nil
            }
        }
    }

    /// The value's text for a bind, when it is not a variable reference: literals and parts of
    /// variables. JSON scalars (`jsonb`) keep their JSON form.
    func constantText(_ input: InputValue, json: Bool) -> String? {
        let value = jsonValue(input)
        return PlanParameter.scalarText(value, json: json)
    }

    /// The value as JSON, variables inside it substituted (and thereby part of the plan's shape).
    func jsonValue(_ input: InputValue) -> JSONValue {
        switch input {
        case .json(let value, let member):
            structural.insert(member.variable)
            return value
        case .literal(let value):
            switch value.kind {
            case .variable(let name):
                structural.insert(name)
                return values[name].map(jsonValue) ?? .null
            case .int(let text), .float(let text): return .number(text)
            case .string(let text, _), .enumValue(let text): return .string(text)
            case .boolean(let flag): return .bool(flag)
            case .null: return .null
            case .list(let items): return .array(items.map { jsonValue(.literal($0)) })
            case .object(let fields): return .object(fields.map { ($0.name.value, jsonValue(.literal($0.value))) })
            }
        }
    }

    /// The request's variables as JSON, for the introspection executor.
    func allValues() -> [String: JSONValue] {
        values.mapValues(jsonValue)
    }
}

/// Where a value sits inside a variable: `$objects[2].title` is `objects`, `[.index(2), .key("title")]`.
public struct VariableMember: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var variable: String
    public var path: [Step]

    public init(variable: String, path: [Step]) {
        self.variable = variable
        self.path = path
    }

    func appending(_ step: Step) -> VariableMember {
        VariableMember(variable: variable, path: path + [step])
    }

    /// The value at this place in the request's variables; nil when it is absent.
    public func value(in variables: [String: JSONValue]) -> JSONValue? {
        var current = variables[variable]
        for step in path {
            switch (step, current) {
            case (.key(let key), .object(let members)?): current = members.last { $0.0 == key }?.1
            case (.index(let index), .array(let items)?) where items.indices.contains(index): current = items[index]
            default: return nil
            }
        }
        return current
    }

    public var description: String {
        "$" + variable + path.map { step -> String in
            switch step {
            case .key(let key): "." + key
            case .index(let index): "[\(index)]"
            }
        }.joined()
    }
}
