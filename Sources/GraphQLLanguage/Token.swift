/// The kinds of lexical token (spec §2.1): punctuators, names, numbers and strings.
public enum TokenKind: UInt8, Sendable {
    case endOfFile
    case bang, dollar, ampersand, parenLeft, parenRight, spread, colon, equals, at
    case bracketLeft, bracketRight, braceLeft, pipe, braceRight
    case name, int, float, string, blockString

    /// How errors name a kind: punctuators quoted, the rest by name (graphql-js wording).
    public var displayName: String {
        switch self {
        case .endOfFile: "<EOF>"
        case .bang: "\"!\""
        case .dollar: "\"$\""
        case .ampersand: "\"&\""
        case .parenLeft: "\"(\""
        case .parenRight: "\")\""
        case .spread: "\"...\""
        case .colon: "\":\""
        case .equals: "\"=\""
        case .at: "\"@\""
        case .bracketLeft: "\"[\""
        case .bracketRight: "\"]\""
        case .braceLeft: "\"{\""
        case .pipe: "\"|\""
        case .braceRight: "\"}\""
        case .name: "Name"
        case .int: "Int"
        case .float: "Float"
        case .string: "String"
        case .blockString: "BlockString"
        }
    }
}

/// One token: its kind and where it is. Plain data, so reading tokens allocates nothing; the
/// parser turns a token's bytes into a value only when it keeps it (see `Lexer.value(of:)`).
public struct Token: Sendable {
    public var kind: TokenKind
    public var location: Location

    public init(kind: TokenKind, location: Location) {
        self.kind = kind
        self.location = location
    }

    public var start: Int { location.start }
    public var end: Int { location.end }
    public var line: Int { location.line }
    public var column: Int { location.column }
}
