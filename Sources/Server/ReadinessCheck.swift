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

/// Why a check failed, as `/readyz` reports it (`{"status":"unavailable","reason":…}`).
public struct NotReady: Error, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "not ready: \(reason)" }
}

/// Ready when every one of its checks is, in order; the first failure is the answer.
public struct AllReady: ReadinessCheck {
    let checks: [any ReadinessCheck]

    public init(_ checks: [any ReadinessCheck]) {
        self.checks = checks
    }

    public func check() async throws {
        for check in checks { try await check.check() }
    }
}
