/// Bounds checked while parsing, because parsing is a denial-of-service surface: a request can
/// be made of nothing but tokens, or nest without end.
public struct ParserLimits: Sendable, Equatable {
    /// The most tokens a document may have; nil for no limit (trusted files such as SDL).
    public var maxTokens: Int?
    /// The deepest nesting of selection sets, list and object values, and list types.
    /// Always bounded: the parser is recursive.
    public var maxDepth: Int

    public init(maxTokens: Int? = 50_000, maxDepth: Int = 128) {
        self.maxTokens = maxTokens
        self.maxDepth = maxDepth
    }

    /// For requests from clients.
    public static let `default` = ParserLimits()
    /// For files the project's authors wrote (SDL, formatting): no token limit.
    public static let trusted = ParserLimits(maxTokens: nil, maxDepth: 512)
}
