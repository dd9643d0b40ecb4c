#if canImport(Glibc)
import Glibc
#endif
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

    /// The buckets, and what the shared tier needs: tokens taken since its last look, and the
    /// buckets every process together has used up for the current second.
    struct State {
        var buckets: [Key: Bucket] = [:]
        /// Tokens taken by second and bucket, not yet told to the shared tier.
        var pending: [Int: [Key: Int]] = [:]
        var exhausted: [Key: Int] = [:]
    }

    private let limitsNow: Mutex<[String: RoleRateLimits]>
    /// The limits by role (replaced when the project is reloaded).
    var limits: [String: RoleRateLimits] { limitsNow.withLock { $0 } }
    private let state = Mutex(State())
    /// Whether a shared tier follows the tokens taken (`SharedRateLimits`).
    private let shared = Atomic(false)
    private let metrics: StrataMetrics?
    /// The time buckets refill by.
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// Beyond this many buckets, full ones are forgotten.
    static let sweepAbove = 50_000

    /// The wall clock's current second, which the processes sharing limits count by.
    private let second: @Sendable () -> Int

    /// - Parameter clock: the time buckets refill by (tests stop it).
    /// - Parameter second: the wall clock's second, for the shared tier (tests fix it).
    public init(limits: [String: RoleRateLimits], metrics: StrataMetrics? = nil,
                clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                second: @escaping @Sendable () -> Int = RateLimiter.currentSecond) {
        self.limitsNow = Mutex(limits)
        self.metrics = metrics
        self.clock = clock
        self.second = second
    }

    /// Limits by `limits` from now on; buckets of roles and scopes still limited keep their tokens.
    public func replace(limits: [String: RoleRateLimits]) {
        limitsNow.withLock { $0 = limits }
    }

    /// Takes the operation's tokens from the buckets of its role that apply, or refuses it.
    public func admit(_ session: Session, address: String?, cost: Int) -> Decision {
        admit(session, address: address, cost: cost, at: clock())
    }

    func admit(_ session: Session, address: String?, cost: Int, at now: ContinuousClock.Instant) -> Decision {
        let limits = self.limits
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
        let window = shared.load(ordering: .relaxed) ? second() : nil
        let decision = state.withLock { state -> Decision in
            if let window {
                // Every process together used up a bucket this second: wait for the next.
                if let (key, _) = applicable.first(where: { state.exhausted[$0.0] == window }) {
                    return .overRate(scope: key.scope, retryAfter: Self.untilNextSecond())
                }
            }
            var refill: [(Key, Bucket)] = []
            var wait: (Scope, Duration)?
            for (key, rate) in applicable {
                var bucket = state.buckets[key] ?? Bucket(tokens: Double(rate.burst), updated: now)
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
                for (key, bucket) in refill { state.buckets[key] = bucket }
                return .overRate(scope: scope, retryAfter: after)
            }
            for (key, var bucket) in refill {
                bucket.tokens -= Double(tokens)
                state.buckets[key] = bucket
            }
            if let window {
                for (key, _) in refill { state.pending[window, default: [:]][key, default: 0] += tokens }
            }
            if state.buckets.count > Self.sweepAbove { Self.sweep(&state.buckets, limits: limits, now: now) }
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
    var bucketCount: Int { state.withLock { $0.buckets.count } }

    // MARK: The shared tier

    /// Starts counting what is taken for the shared tier.
    func share() {
        shared.store(true, ordering: .relaxed)
    }

    /// The tokens taken since the last call, by the second they were taken in and bucket.
    func takePending() -> [(window: Int, used: [(key: String, tokens: Int)])] {
        state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending.sorted { $0.key < $1.key }.map { window, used in
                (window, used.map { (Self.sharedName($0.key), $0.value) })
            }
        }
    }

    /// What every process together has taken from each bucket in second `window`: buckets at
    /// their rate refuse everyone until the next second.
    func noteShared(_ totals: [(key: String, used: Int)], window: Int) {
        let limits = self.limits
        let exhausted: [Key] = totals.compactMap { key, used in
            guard let key = Self.key(sharedName: key), let limit = limits[key.role],
                  let rate = key.scope == .tenant ? limit.perTenant : key.scope == .user ? limit.perUser : limit.perIP,
                  used >= rate.perSecond else { return nil }
            return key
        }
        state.withLock { state in
            state.exhausted = state.exhausted.filter { $0.value >= window }
            for key in exhausted { state.exhausted[key] = window }
        }
    }

    /// A bucket's name in `strata.rate_usage`: role, scope and value, separated by a unit separator.
    static func sharedName(_ key: Key) -> String {
        key.role + "\u{1F}" + key.scope.rawValue + "\u{1F}" + key.value
    }

    static func key(sharedName: String) -> Key? {
        let parts = sharedName.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let scope = Scope(rawValue: String(parts[1])) else { return nil }
        return Key(role: String(parts[0]), scope: scope, value: String(parts[2]))
    }

    /// The current second of the wall clock, which the processes share.
    public static func currentSecond() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec)
    }

    static func untilNextSecond() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return .nanoseconds(1_000_000_000 - Int64(now.tv_nsec))
    }

    private func count(_ role: String, _ limit: String) {
        metrics?.counter("strata_rate_limited_total", "Operations refused by a rate limit, by role and limit (tenant, user, ip, cost).",
                         labels: [("role", role), ("limit", limit)]).increment()
    }
}
