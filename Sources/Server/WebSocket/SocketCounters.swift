import Synchronization

/// What GraphQL WebSocket connections hold and have sent, for metrics: connections by role
/// (once authenticated), messages sent, upgrades and connections refused by the tenant cap.
public final class SocketCounters: Sendable {
    private let byRole = Mutex<[String: Int]>([:])
    /// Messages sent to clients, every type.
    let sent = Atomic(0)
    /// Connections refused because their tenant held its cap.
    let refused = Atomic(0)

    init() {}

    func opened(role: String) {
        byRole.withLock { $0[role, default: 0] += 1 }
    }

    func closed(role: String) {
        byRole.withLock { counts in
            let count = counts[role, default: 0] - 1
            counts[role] = count > 0 ? count : nil
        }
    }

    /// Authenticated connections open now, by role.
    public var connectionsByRole: [String: Int] { byRole.withLock { $0 } }
    public var messagesSent: Int { sent.load(ordering: .relaxed) }
    public var refusedConnections: Int { refused.load(ordering: .relaxed) }
}
