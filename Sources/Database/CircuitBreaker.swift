/// Whether requests may try the database. After `failureThreshold` consecutive connection
/// failures within `window` it opens: requests are refused at once (503) instead of each
/// waiting on a connect that will fail. Every `probeInterval` one request is let through as a
/// probe; its success closes the breaker, its failure keeps it open. Pure state: the caller
/// passes the time and acts on the answers.
public struct CircuitBreaker: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var failureThreshold: Int
        public var window: Duration
        public var probeInterval: Duration

        public init(failureThreshold: Int = 5, window: Duration = .seconds(30), probeInterval: Duration = .milliseconds(250)) {
            self.failureThreshold = failureThreshold
            self.window = window
            self.probeInterval = probeInterval
        }
    }

    public enum Permit: Sendable, Equatable {
        case allow
        /// The one request that tries the database while the breaker is open.
        case probe
        /// Refused; try again after this long.
        case refuse(retryAfter: Duration)
    }

    enum State: Sendable, Equatable {
        /// Failures in a row, the first of them at `since`.
        case closed(failures: Int, since: ContinuousClock.Instant?)
        case open(lastProbe: ContinuousClock.Instant)
        case probing(started: ContinuousClock.Instant)
    }

    public let configuration: Configuration
    private(set) var state = State.closed(failures: 0, since: nil)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var isOpen: Bool {
        if case .closed = state { false } else { true }
    }

    /// Whether any failure is on record, so a success has something to reset.
    public var hasFailures: Bool {
        state != .closed(failures: 0, since: nil)
    }

    public mutating func permit(at now: ContinuousClock.Instant) -> Permit {
        switch state {
        case .closed:
            return .allow
        case .open(let lastProbe):
            let next = lastProbe.advanced(by: configuration.probeInterval)
            guard now >= next else { return .refuse(retryAfter: next - now) }
            state = .probing(started: now)
            return .probe
        case .probing(let started):
            // A probe that never reports (its task was cancelled) must not keep the breaker
            // shut for good: after a further interval another request probes.
            guard now >= started.advanced(by: configuration.probeInterval * 5) else {
                return .refuse(retryAfter: configuration.probeInterval)
            }
            state = .probing(started: now)
            return .probe
        }
    }

    /// The database answered: the breaker closes.
    public mutating func recordSuccess() {
        state = .closed(failures: 0, since: nil)
    }

    /// A connection could not be opened or was lost.
    public mutating func recordFailure(at now: ContinuousClock.Instant) {
        switch state {
        case .closed(let failures, let since):
            let windowStart = since.flatMap { now - $0 <= configuration.window ? $0 : nil }
            let count = windowStart == nil ? 1 : failures + 1
            if count >= configuration.failureThreshold {
                state = .open(lastProbe: now)
            } else {
                state = .closed(failures: count, since: windowStart ?? now)
            }
        case .open, .probing:
            state = .open(lastProbe: now)
        }
    }
}
