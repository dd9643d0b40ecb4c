/// A recursive-descent parser for GraphQL documents, executable and type-system alike
/// (spec §2 and §3, September 2025 edition).
///
/// Each `parseX` function opens with the grammar production it implements. Errors are
/// `Syntax Error: …` GraphQL errors with the line and column of the offending token.
public struct Parser {
    var lexer: Lexer
    /// The current, not yet consumed, token.
    var token: Token
    /// Where the last consumed token ended, for node locations.
    var previousEnd = 0
    var tokenCount = 0
    var depth = 0
    let limits: ParserLimits

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(GraphQLError) {
        self.lexer = Lexer(bytes: bytes)
        self.limits = limits
        self.token = Token(kind: .endOfFile, start: 0, end: 0, line: 1, column: 1)
        try advance()
    }

    /// Parses a whole document.
    public static func parse(_ source: Source, limits: ParserLimits = .default) throws(GraphQLError) -> Document {
        try source.bytes.withUnsafeBufferPointer { (bytes) throws(GraphQLError) -> Document in
            var parser = try Parser(bytes: bytes, limits: limits)
            return try parser.parseDocument()
        }
    }

    public static func parse(_ text: String, limits: ParserLimits = .default) throws(GraphQLError) -> Document {
        try parse(Source(text), limits: limits)
    }

    /// Parses a single value, such as a default value or a variable written in GraphQL syntax.
    public static func parseValue(_ text: String, constant: Bool = true, limits: ParserLimits = .default) throws(GraphQLError) -> Value {
        try Source(text).bytes.withUnsafeBufferPointer { (bytes) throws(GraphQLError) -> Value in
            var parser = try Parser(bytes: bytes, limits: limits)
            let value = try parser.parseValue(constant: constant)
            try parser.expect(.endOfFile)
            return value
        }
    }

    /// Parses a type reference such as `[String!]!`.
    public static func parseType(_ text: String) throws(GraphQLError) -> TypeReference {
        try Source(text).bytes.withUnsafeBufferPointer { (bytes) throws(GraphQLError) -> TypeReference in
            var parser = try Parser(bytes: bytes, limits: .default)
            let type = try parser.parseTypeReference()
            try parser.expect(.endOfFile)
            return type
        }
    }

    /// Document : Definition+
    mutating func parseDocument() throws(GraphQLError) -> Document {
        var definitions: [Definition] = []
        repeat {
            definitions.append(try parseDefinition())
        } while token.kind != .endOfFile
        let location = Location(start: 0, end: previousEnd, line: 1, column: 1)
        return Document(definitions: definitions, location: location, tokenCount: tokenCount)
    }

    // MARK: Tokens

    mutating func advance() throws(GraphQLError) {
        previousEnd = token.end
        token = try lexer.next()
        guard token.kind != .endOfFile else { return }
        tokenCount += 1
        if let maxTokens = limits.maxTokens, tokenCount > maxTokens {
            throw error(at: token, "Document contains more than \(maxTokens) tokens. Parsing aborted.")
        }
    }

    /// The token after the current one, without consuming anything.
    func lookahead() throws(GraphQLError) -> Token {
        var copy = lexer
        return try copy.next()
    }

    /// Consumes a token of `kind`, or fails with `Expected …, found …`.
    @discardableResult
    mutating func expect(_ kind: TokenKind) throws(GraphQLError) -> Token {
        let current = token
        guard current.kind == kind else {
            throw error(at: current, "Expected \(kind.displayName), found \(describe(current)).")
        }
        try advance()
        return current
    }

    /// Consumes a token of `kind` if it is next.
    mutating func skip(_ kind: TokenKind) throws(GraphQLError) -> Bool {
        guard token.kind == kind else { return false }
        try advance()
        return true
    }

    mutating func expectKeyword(_ keyword: StaticString) throws(GraphQLError) {
        guard isKeyword(token, keyword) else {
            throw error(at: token, "Expected \"\(keyword)\", found \(describe(token)).")
        }
        try advance()
    }

    mutating func skipKeyword(_ keyword: StaticString) throws(GraphQLError) -> Bool {
        guard isKeyword(token, keyword) else { return false }
        try advance()
        return true
    }

    func isKeyword(_ candidate: Token, _ keyword: StaticString) -> Bool {
        candidate.kind == .name && lexer.spells(candidate, keyword)
    }

    /// The text of a name or number token.
    func text(_ token: Token) -> String {
        lexer.text(token.start, token.end)
    }

    /// How errors show a token: `Name "foo"`, `"}"`, `<EOF>`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .name, .int, .float, .string, .blockString: "\(token.kind.displayName) \"\(lexer.value(of: token))\""
        default: token.kind.displayName
        }
    }

    func unexpected(_ offending: Token? = nil) -> GraphQLError {
        let offending = offending ?? token
        return error(at: offending, "Unexpected \(describe(offending)).")
    }

    func error(at offending: Token, _ message: String) -> GraphQLError {
        SyntaxError.at(SourceLocation(offset: offending.start, line: offending.line, column: offending.column), message)
    }

    /// The location from `start` to the end of the last consumed token.
    func location(from start: Token) -> Location {
        Location(start: start.start, end: previousEnd, line: start.line, column: start.column)
    }

    /// Counts one level of nesting; fails past the limit before the recursion gets deep.
    mutating func enterNesting() throws(GraphQLError) {
        depth += 1
        if depth > limits.maxDepth {
            throw error(at: token, "Document nesting exceeds the maximum depth of \(limits.maxDepth). Parsing aborted.")
        }
    }

    mutating func leaveNesting() {
        depth -= 1
    }

    /// Name : /[_A-Za-z][_0-9A-Za-z]*/
    mutating func parseName() throws(GraphQLError) -> Name {
        let current = try expect(.name)
        return Name(text(current), location: current.location)
    }
}
