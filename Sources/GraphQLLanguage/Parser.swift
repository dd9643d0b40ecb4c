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
    /// `limits.maxTokens`, or no limit.
    let tokenLimit: Int
    /// The tree being built (see `SyntaxTree`): node 0 and list 0 stand for "none" and "empty".
    /// The parser owns these buffers until `finish` hands them to a tree, and `discard` frees them.
    var nodes: NodeBuffer<SyntaxNode>
    var lists: NodeBuffer<UInt32>
    /// Children of the lists still open, innermost last.
    var pending: NodeBuffer<UInt32>

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) {
        self.lexer = Lexer(bytes: bytes)
        self.limits = limits
        self.tokenLimit = limits.maxTokens ?? .max
        self.token = Token(kind: .endOfFile, location: Location(start: 0, end: 0, line: 1, column: 1))
        // At most about one node per four bytes in typical documents; the buffers grow past that,
        // and pages reserved but never written cost no memory.
        nodes = NodeBuffer(capacity: bytes.count / 4 + 16)
        nodes.append(SyntaxNode(.none, Location(start: 0, end: 0, line: 0, column: 0)))
        lists = NodeBuffer(capacity: bytes.count / 8 + 16)
        lists.append(0)
        pending = NodeBuffer(capacity: 64)
    }

    /// A finished tree, the node `build` returned, and where the last token ended.
    struct Built {
        let tree: SyntaxTree
        let root: UInt32
        let end: Int
        let tokenCount: Int
    }

    /// Runs `body` on a parser over `bytes`; the parser's buffers go to the finished tree, or are
    /// freed when parsing fails.
    static func build(_ bytes: [UInt8], limits: ParserLimits,
                      _ body: (inout Parser) throws(GraphQLError) -> UInt32) throws(GraphQLError) -> Built {
        try bytes.withUnsafeBufferPointer { (buffer) throws(GraphQLError) -> Built in
            var parser = Parser(bytes: buffer, limits: limits)
            defer { parser.pending.deallocate() }
            do throws(GraphQLError) {
                try parser.advance()
                let root = try body(&parser)
                let tree = SyntaxTree(bytes: bytes, nodes: parser.nodes.elements, lists: parser.lists.elements)
                return Built(tree: tree, root: root, end: parser.previousEnd, tokenCount: parser.tokenCount)
            } catch {
                parser.nodes.deallocate()
                parser.lists.deallocate()
                throw error
            }
        }
    }

    /// Parses a whole document.
    public static func parse(_ source: Source, limits: ParserLimits = .default) throws(GraphQLError) -> Document {
        let built = try build(source.bytes, limits: limits) { (parser) throws(GraphQLError) in try parser.parseDocument() }
        return Document(tree: built.tree, definitions: built.root,
                        location: Location(start: 0, end: built.end, line: 1, column: 1), tokenCount: built.tokenCount)
    }

    public static func parse(_ text: String, limits: ParserLimits = .default) throws(GraphQLError) -> Document {
        try parse(Source(text), limits: limits)
    }

    /// Parses a single value, such as a default value or a variable written in GraphQL syntax.
    public static func parseValue(_ text: String, constant: Bool = true, limits: ParserLimits = .default) throws(GraphQLError) -> Value {
        let built = try build(Array(text.utf8), limits: limits) { (parser) throws(GraphQLError) in
            let value = try parser.parseValue(constant: constant)
            try parser.expect(.endOfFile)
            return value
        }
        return Value(tree: built.tree, index: built.root)
    }

    /// Parses a type reference such as `[String!]!`.
    public static func parseType(_ text: String) throws(GraphQLError) -> TypeReference {
        let built = try build(Array(text.utf8), limits: .default) { (parser) throws(GraphQLError) in
            let type = try parser.parseTypeReference()
            try parser.expect(.endOfFile)
            return type
        }
        return TypeReference(tree: built.tree, index: built.root)
    }

    /// Document : Definition+ — returns the list of definitions.
    mutating func parseDocument() throws(GraphQLError) -> UInt32 {
        let list = openList()
        repeat {
            let definition = try parseDefinition()
            pending.append(definition)
        } while token.kind != .endOfFile
        return closeList(list)
    }

    // MARK: Tree

    /// Adds a node; its children are already in the tree.
    @inline(__always)
    mutating func add(_ node: SyntaxNode) -> UInt32 {
        nodes.append(node)
        return UInt32(truncatingIfNeeded: nodes.count &- 1)
    }

    /// Starts a list: its children go to `pending` until `closeList`.
    @inline(__always)
    func openList() -> Int {
        pending.count
    }

    /// Moves the children pending since `start` into the tree's lists; returns the list's offset.
    mutating func closeList(_ start: Int) -> UInt32 {
        let count = pending.count &- start
        guard count > 0 else { return 0 }
        let offset = UInt32(truncatingIfNeeded: lists.count)
        lists.append(UInt32(truncatingIfNeeded: count))
        lists.append(suffixOf: pending, from: start)
        pending.removeLast(count)
        return offset
    }

    // MARK: Tokens

    mutating func advance() throws(GraphQLError) {
        previousEnd = token.end
        try lexer.next(into: &token)
        guard token.kind != .endOfFile else { return }
        tokenCount &+= 1
        if tokenCount > tokenLimit { throw tooManyTokens() }
    }

    @inline(never)
    func tooManyTokens() -> GraphQLError {
        error(at: token, "Document contains more than \(tokenLimit) tokens. Parsing aborted.")
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
        guard current.kind == kind else { throw expected(kind) }
        try advance()
        return current
    }

    @inline(never)
    func expected(_ kind: TokenKind) -> GraphQLError {
        error(at: token, "Expected \(kind.displayName), found \(describe(token)).")
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
    mutating func parseName() throws(GraphQLError) -> UInt32 {
        guard token.kind == .name else { throw expected(.name) }
        let name = add(SyntaxNode(.name, token.location))
        try advance()
        return name
    }
}
