import Synchronization

/// What the server answers with now — the executor (the roles' APIs, their plan cache, the
/// trusted documents) and the authenticator — swapped whole when the project is reloaded. A
/// request takes the current one when it starts and finishes on it, so in-flight requests end on
/// the API they began with and new ones get the new one.
public final class ServedAPI: Sendable {
    public struct Current: Sendable {
        public var executor: GraphQLExecutor
        public var authenticator: TokenAuthenticator
    }

    private let current: Mutex<Current>

    public init(executor: GraphQLExecutor, authenticator: TokenAuthenticator) {
        current = Mutex(Current(executor: executor, authenticator: authenticator))
    }

    public var executor: GraphQLExecutor { current.withLock { $0.executor } }
    public var authenticator: TokenAuthenticator { current.withLock { $0.authenticator } }

    /// Serves `executor` and `authenticator` from now on.
    func swap(executor: GraphQLExecutor, authenticator: TokenAuthenticator) {
        current.withLock { $0 = Current(executor: executor, authenticator: authenticator) }
    }
}
