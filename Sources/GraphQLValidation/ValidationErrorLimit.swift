import GraphQLLanguage

/// Collects validation errors up to a limit, then one final error saying validation stopped —
/// a hostile document must not make the server build an unbounded error list.
public struct ValidationErrorLimit: Sendable {
    public let maximum: Int
    public private(set) var errors: [GraphQLError] = []
    public private(set) var isExhausted = false

    public init(maximum: Int = 100) {
        self.maximum = maximum
    }

    /// Records `error`; returns false once the limit is reached and validation should stop.
    @discardableResult
    public mutating func report(_ error: GraphQLError) -> Bool {
        guard !isExhausted else { return false }
        guard errors.count < maximum else {
            errors.append(GraphQLError("Too many validation errors, error limit reached. Validation aborted.",
                                       code: ErrorCode.validationFailed))
            isExhausted = true
            return false
        }
        errors.append(error)
        return true
    }
}
