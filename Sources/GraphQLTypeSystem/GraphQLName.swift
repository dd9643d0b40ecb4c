/// A GraphQL name (spec §2.1.9: `/[_A-Za-z][_0-9A-Za-z]*/`), checked when made.
public struct GraphQLName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Sendable, Equatable {
        case empty
        case invalidCharacter(Character, position: Int)
        /// Names starting with `__` belong to introspection (spec §3: "Reserved Names").
        case reserved
    }

    public init(_ value: String, allowReserved: Bool = false) throws(Problem) {
        guard let first = value.first else { throw .empty }
        for (position, character) in value.enumerated() {
            let isLetter = character.isASCII && (character.isLetter || character == "_")
            let isDigit = character.isASCII && character.isNumber
            guard isLetter || (isDigit && position > 0) else {
                throw .invalidCharacter(character, position: position)
            }
        }
        if !allowReserved && first == "_" && value.hasPrefix("__") { throw .reserved }
        self.value = value
    }

    public var description: String { value }
}
