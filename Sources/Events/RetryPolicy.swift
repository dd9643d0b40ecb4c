/// When a failed handler runs again: exponential backoff with a ceiling, then a dead letter.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var maximumAttempts: Int

    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(300), maximumAttempts: Int = 10) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    public enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case deadLetter
    }

    /// What to do after attempt number `attempt` (1-based) has failed.
    public func decision(afterFailedAttempt attempt: Int) -> Decision {
        guard attempt < maximumAttempts else { return .deadLetter }
        var delay = initialDelay
        for _ in 1..<attempt {
            delay *= 2
            if delay >= maximumDelay { return .retry(after: maximumDelay) }
        }
        return .retry(after: min(delay, maximumDelay))
    }
}
