import Synchronization

/// How fast each tenant's subscriptions may be sent results: a token bucket per tenant holding
/// one second's worth of messages, refilled at `perSecond`. A connection takes a token per
/// message it pushes; without one, it holds the message back until the bucket has one again
/// (live results coalesced meanwhile, stream messages kept in order).
final class TenantMessageRates: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perSecond: Int) {
        self.perSecond = max(1, perSecond)
    }

    /// Takes a message's place for `tenant` now (nil), or says how long until one is free.
    func take(_ tenant: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let rate = Double(perSecond)
        return buckets.withLock { buckets in
            var bucket = buckets[tenant] ?? Bucket(tokens: rate, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(rate, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer {
                buckets[tenant] = bucket
                // Full buckets say nothing a fresh one would not: drop them when many pile up.
                if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < rate } }
            }
            guard bucket.tokens >= 1 else {
                return .nanoseconds(Int64((1 - bucket.tokens) / rate * 1e9) + 1)
            }
            bucket.tokens -= 1
            return nil
        }
    }
}
