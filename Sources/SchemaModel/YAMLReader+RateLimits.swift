import Yams

/// The `rate_limits` section of `strata.yaml`.
extension YAMLReader {
    mutating func rateLimits(_ node: Node) -> [String: RoleRateLimits] {
        var limits: [String: RoleRateLimits] = [:]
        for (role, key, value) in entries(node, context: "rate_limits") {
            var limit = RoleRateLimits(role: role, position: position(of: key))
            let context = "rate_limits.\(role)"
            let fields = mapping(value, keys: ["per_tenant", "per_user", "per_ip", "max_cost", "cost_per_request"], context: context)
            limit.perTenant = fields["per_tenant"].flatMap { bucket($0, context: context + ".per_tenant") }
            limit.perUser = fields["per_user"].flatMap { bucket($0, context: context + ".per_user") }
            limit.perIP = fields["per_ip"].flatMap { bucket($0, context: context + ".per_ip") }
            limit.maxCost = fields["max_cost"].flatMap { positiveInt($0, "max_cost") }
            if let unit = fields["cost_per_request"].flatMap({ positiveInt($0, "cost_per_request") }) { limit.costPerRequest = unit }
            limits[role] = limit
        }
        return limits
    }

    /// `{ requests_per_second: N, burst: M }`; the burst defaults to one second's requests.
    private mutating func bucket(_ node: Node, context: String) -> RateLimit? {
        let fields = mapping(node, keys: ["requests_per_second", "burst"], context: context)
        guard let rateNode = fields["requests_per_second"] else {
            fail(node, "\(context) needs requests_per_second")
            return nil
        }
        guard let rate = positiveInt(rateNode, "requests_per_second") else { return nil }
        let burst = fields["burst"].flatMap { positiveInt($0, "burst") } ?? rate
        return RateLimit(perSecond: rate, burst: burst)
    }
}
