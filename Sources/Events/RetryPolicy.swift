/// When a failed handler runs again: exponential backoff with a ceiling, then a dead letter.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var maximumAttempts: Int
    /// Up to this fraction of each delay is taken off at random, so deliveries that failed
    /// together (a receiver down) do not all come back at once.
    public var jitter: Double

    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(300), maximumAttempts: Int = 10, jitter: Double = 0) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The decision, its delay shortened by a random part of the jitter.
    public func jitteredDecision(afterFailedAttempt attempt: Int) -> Decision {
        guard case .retry(let delay) = decision(afterFailedAttempt: attempt), jitter > 0 else { return decision(afterFailedAttempt: attempt) }
        return .retry(after: delay * (1 - Double.random(in: 0...jitter)))
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
