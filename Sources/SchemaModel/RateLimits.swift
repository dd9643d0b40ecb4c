/// A token bucket's numbers: how many requests a second refill it, and how many it holds.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Int
    public var burst: Int

    public init(perSecond: Int, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// A role's rate limits from `strata.yaml` `rate_limits.<role>`: token buckets per tenant, per
/// user and per client address, and what an operation's cost (fields × depth) may be and how
/// many requests it counts as.
public struct RoleRateLimits: Sendable, Equatable {
    public var role: String
    public var position: SourcePosition
    public var perTenant: RateLimit?
    public var perUser: RateLimit?
    public var perIP: RateLimit?
    /// The largest estimated cost one operation may have; larger ones are refused.
    public var maxCost: Int?
    /// The estimated cost one request token stands for: an operation takes
    /// `max(1, cost / costPerRequest)` tokens (rounded up) from each bucket.
    public var costPerRequest = 100

    public init(role: String, position: SourcePosition) {
        self.role = role
        self.position = position
    }

    /// The tokens an operation of estimated cost `cost` takes.
    public func tokens(forCost cost: Int) -> Int {
        max(1, (cost + costPerRequest - 1) / costPerRequest)
    }
}
