/// CoerceInputValue for values from JSON (spec §3.5–§3.12, "Input Coercion" of each type): the
/// rules for variables, worded as graphql-js words them.
public struct InputCoercion {
    public let schema: GraphQLSchema

    public init(schema: GraphQLSchema) {
        self.schema = schema
    }

    /// A problem at a path inside the value (`input.tags[1]`).
    public struct Failure: Error, Sendable, Equatable {
        public var path: [String]
        public var message: String

        /// The same problem seen from `prefix`, the steps that lead to where it was found.
        func under(_ prefix: [String]) -> Failure {
            Failure(path: prefix + path, message: message)
        }
    }

    public func coerce(_ value: JSONValue, to type: GraphQLTypeRef, path: [String] = []) throws(Failure) -> CoercedValue {
        do { return try coerce(value, to: type) } catch { throw path.isEmpty ? error : error.under(path) }
    }

    /// A failure's path is built on the way out, so a value that coerces builds none.
    private func coerce(_ value: JSONValue, to type: GraphQLTypeRef) throws(Failure) -> CoercedValue {
        switch type {
        case .nonNull(let inner):
            if case .null = value {
                throw Failure(path: [], message: "Expected non-nullable type \"\(type)\" not to be null.")
            }
            return try coerce(value, to: inner)
        case .list(let inner):
            if case .null = value { return .null }
            guard case .array(let items) = value else {
                // A single value where a list is expected becomes a list of one (spec §3.11).
                return .list([try coerce(value, to: inner)])
            }
            var coerced: [CoercedValue] = []
            coerced.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                do { coerced.append(try coerce(item, to: inner)) } catch { throw error.under(["[\(index)]"]) }
            }
            return .list(coerced)
        case .named(let name):
            if case .null = value { return .null }
            switch schema.type(named: name) {
            case .scalar(let scalar)?:
                return try ScalarCoercion.coerce(value, to: scalar.name, path: [])
            case .enumeration(let enumeration)?:
                guard case .string(let text) = value, enumeration.value(named: text) != nil else {
                    let shown = value.inspected
                    if case .string(let text) = value {
                        let hint = Suggestion.didYouMean(text, among: enumeration.values.map(\.name), what: "the enum value")
                        throw Failure(path: [], message: "Value \(shown) does not exist in \"\(name)\" enum.\(hint)")
                    }
                    throw Failure(path: [], message: "Enum \"\(name)\" cannot represent non-string value: \(shown).")
                }
                return .enumValue(text)
            case .inputObject(let input)?:
                return try coerce(value, to: input)
            default:
                throw Failure(path: [], message: "Type \"\(name)\" is not an input type.")
            }
        }
    }

    private func coerce(_ value: JSONValue, to input: GraphQLInputObjectType) throws(Failure) -> CoercedValue {
        guard case .object(let members) = value else {
            throw Failure(path: [], message: "Expected type \"\(input.name)\" to be an object.")
        }
        for (key, _) in members where input.field(named: key) == nil {
            let hint = Suggestion.didYouMean(key, among: input.fields.map(\.name))
            throw Failure(path: [], message: "Field \"\(key)\" is not defined by type \"\(input.name)\".\(hint)")
        }
        var result: [String: CoercedValue] = [:]
        result.reserveCapacity(members.count)
        for field in input.fields {
            // A key given twice counts as its last value, as JSON readers take it.
            if let member = members.last(where: { $0.0 == field.name }) {
                do { result[field.name] = try coerce(member.1, to: field.type) } catch { throw error.under([".\(field.name)"]) }
            } else if let defaultValue = field.defaultValue {
                guard let coerced = LiteralCoercion(schema: schema).coerce(defaultValue, to: field.type, variables: [:]) else {
                    throw Failure(path: [], message: "Default value of field \"\(input.name).\(field.name)\" is invalid.")
                }
                result[field.name] = coerced
            } else if field.type.isNonNull {
                throw Failure(path: [], message: "Field \"\(field.name)\" of required type \"\(field.type)\" was not provided.")
            }
        }
        if input.isOneOf {
            guard members.count == 1 else {
                throw Failure(path: [], message: "Exactly one key must be specified for OneOf type \"\(input.name)\".")
            }
            if case .null = members[0].1 {
                throw Failure(path: [], message: "Field \"\(members[0].0)\" must be non-null.")
            }
        }
        return .object(result)
    }
}
