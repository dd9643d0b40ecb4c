import GraphQLLanguage
import Planner
import SchemaModel
import Synchronization
import Telemetry

/// The local tier of rate limiting: token buckets per role and tenant, user and client address
/// (`rate_limits` in `strata.yaml`), answered in memory with no round trip. An operation takes
/// `tokens(forCost:)` tokens from each bucket that applies, or from none: when one lacks them
/// the operation is refused with the time until it would have them.
///
/// Buckets that are full again are forgotten when there are many, so memory follows the
/// clients active in the last few seconds, not every client ever seen.
public final class RateLimiter: Sendable {
    public enum Scope: String, Sendable, CaseIterable {
        case tenant, user, ip
    }

    struct Key: Hashable {
        let role: String
        let scope: Scope
        let value: String
    }

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// What became of an operation.
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Over a bucket's rate: try again after `retryAfter`.
        case overRate(scope: Scope, retryAfter: Duration)
        /// It can never pass: its cost is over `max_cost`, or it needs more tokens than a bucket holds.
        case tooCostly(cost: Int, limit: Int)
    }

    let limits: [String: RoleRateLimits]
    private let buckets = Mutex<[Key: Bucket]>([:])
    private let metrics: StrataMetrics?
    /// The time buckets refill by.
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// Beyond this many buckets, full ones are forgotten.
    static let sweepAbove = 50_000

    /// - Parameter clock: the time buckets refill by (tests stop it).
    public init(limits: [String: RoleRateLimits], metrics: StrataMetrics? = nil,
                clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limits = limits
        self.metrics = metrics
        self.clock = clock
    }

    /// Whether any role is limited.
    public var isEmpty: Bool { limits.isEmpty }

    /// Takes the operation's tokens from the buckets of its role that apply, or refuses it.
    public func admit(_ session: Session, address: String?, cost: Int) -> Decision {
        admit(session, address: address, cost: cost, at: clock())
    }

    func admit(_ session: Session, address: String?, cost: Int, at now: ContinuousClock.Instant) -> Decision {
        guard let limit = limits[session.role] else { return .allowed }
        if let maxCost = limit.maxCost, cost > maxCost {
            count(session.role, "cost")
            return .tooCostly(cost: cost, limit: maxCost)
        }
        let tokens = limit.tokens(forCost: cost)
        var applicable: [(Key, RateLimit)] = []
        if let rate = limit.perTenant, let tenant = session.tenantID { applicable.append((Key(role: session.role, scope: .tenant, value: tenant), rate)) }
        if let rate = limit.perUser, let user = session.userID { applicable.append((Key(role: session.role, scope: .user, value: user), rate)) }
        if let rate = limit.perIP, let address { applicable.append((Key(role: session.role, scope: .ip, value: address), rate)) }
        guard !applicable.isEmpty else { return .allowed }
        if let smallest = applicable.map(\.1.burst).min(), tokens > smallest {
            count(session.role, "cost")
            return .tooCostly(cost: cost, limit: smallest * limit.costPerRequest)
        }
        let decision = buckets.withLock { buckets -> Decision in
            var refill: [(Key, Bucket)] = []
            var wait: (Scope, Duration)?
            for (key, rate) in applicable {
                var bucket = buckets[key] ?? Bucket(tokens: Double(rate.burst), updated: now)
                let elapsed = now - bucket.updated
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                bucket.tokens = min(Double(rate.burst), bucket.tokens + max(0, seconds) * Double(rate.perSecond))
                bucket.updated = now
                if bucket.tokens < Double(tokens) {
                    let missing = (Double(tokens) - bucket.tokens) / Double(rate.perSecond)
                    let after = Duration.milliseconds(Int64((missing * 1000).rounded(.up)))
                    if wait == nil || after > wait!.1 { wait = (key.scope, after) }  // set just above when nil
                }
                refill.append((key, bucket))
            }
            if let (scope, after) = wait {
                for (key, bucket) in refill { buckets[key] = bucket }
                return .overRate(scope: scope, retryAfter: after)
            }
            for (key, var bucket) in refill {
                bucket.tokens -= Double(tokens)
                buckets[key] = bucket
            }
            if buckets.count > Self.sweepAbove { Self.sweep(&buckets, limits: limits, now: now) }
            return .allowed
        }
        if case .overRate(let scope, _) = decision { count(session.role, scope.rawValue) }
        return decision
    }

    /// The errors of a refusal, and the `Retry-After` seconds for one over a rate.
    static func refusal(_ decision: Decision) -> (GraphQLError, retryAfterSeconds: Int?)? {
        switch decision {
        case .allowed:
            return nil
        case .overRate(let scope, let after):
            let seconds = max(1, Int((after.components.seconds * 1_000 + after.components.attoseconds / 1_000_000_000_000_000 + 999) / 1_000))
            let whose = switch scope {
            case .tenant: "this tenant's"
            case .user: "this user's"
            case .ip: "this client address's"
            }
            return (GraphQLError("Too many requests: over \(whose) rate limit; try again in \(seconds) s.", code: ErrorCode.rateLimited), seconds)
        case .tooCostly(let cost, let limit):
            return (GraphQLError("This operation's estimated cost (fields × depth) is \(cost); this role may run at most \(limit) at once. "
                                 + "Select fewer fields or nest them less deeply, or split the operation.", code: ErrorCode.costLimitExceeded), nil)
        }
    }

    /// Forgets the buckets that have filled up again: a new one starts full, so nothing changes.
    private static func sweep(_ buckets: inout [Key: Bucket], limits: [String: RoleRateLimits], now: ContinuousClock.Instant) {
        buckets = buckets.filter { key, bucket in
            guard let limit = limits[key.role], let rate = key.scope == .tenant ? limit.perTenant : key.scope == .user ? limit.perUser : limit.perIP
            else { return false }
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return bucket.tokens + seconds * Double(rate.perSecond) < Double(rate.burst)
        }
    }

    /// How many buckets are kept now.
    var bucketCount: Int { buckets.withLock { $0.count } }

    private func count(_ role: String, _ limit: String) {
        metrics?.counter("strata_rate_limited_total", "Operations refused by a rate limit, by role and limit (tenant, user, ip, cost).",
                         labels: [("role", role), ("limit", limit)]).increment()
    }
}
