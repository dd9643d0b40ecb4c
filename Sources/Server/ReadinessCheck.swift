/// Whatever the server needs before it can answer GraphQL requests (the database, for one).
public protocol ReadinessCheck: Sendable {
    /// Throws when the dependency is unavailable.
    func check() async throws
}

/// A check that always passes, for a server with nothing to wait for.
public struct AlwaysReady: ReadinessCheck {
    public init() {}
    public func check() async throws {}
}
