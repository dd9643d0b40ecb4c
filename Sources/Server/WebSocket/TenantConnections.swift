import Synchronization

/// How many GraphQL WebSocket connections each tenant holds, against the per-tenant cap: one
/// tenant's clients cannot take every socket the server can hold.
final class TenantConnections: Sendable {
    let cap: Int
    private let counts = Mutex<[String: Int]>([:])

    init(cap: Int) {
        self.cap = cap
    }

    /// Counts a connection for `tenant` if the tenant is under its cap; false when it is full.
    func admit(_ tenant: String) -> Bool {
        counts.withLock { counts in
            let count = counts[tenant, default: 0]
            guard count < cap else { return false }
            counts[tenant] = count + 1
            return true
        }
    }

    /// Whether `tenant` is at its cap now.
    func isFull(_ tenant: String) -> Bool {
        counts.withLock { $0[tenant, default: 0] >= cap }
    }

    func release(_ tenant: String) {
        counts.withLock { counts in
            let count = counts[tenant, default: 0] - 1
            counts[tenant] = count > 0 ? count : nil
        }
    }

    func count(of tenant: String) -> Int {
        counts.withLock { $0[tenant, default: 0] }
    }
}
