import Testing
@testable import SchemaModel

@Suite("rate_limits in strata.yaml")
struct RateLimitSettingsTests {
    @Test("buckets per tenant, user and address, the cost limit and unit; a burst defaults to one second's requests")
    func reads() throws {
        let yaml = """
            roles: [member, anonymous]
            rate_limits:
              member:
                per_tenant: { requests_per_second: 200, burst: 400 }
                per_user: { requests_per_second: 20 }
                max_cost: 50000
                cost_per_request: 250
              anonymous:
                per_ip: { requests_per_second: 5, burst: 10 }
            """
        let settings = try ProjectSettings.parse(yaml, file: "schema/strata.yaml", environment: [:])
        let member = try #require(settings.rateLimits["member"])
        #expect(member.perTenant == RateLimit(perSecond: 200, burst: 400))
        #expect(member.perUser == RateLimit(perSecond: 20, burst: 20))
        #expect(member.perIP == nil && member.maxCost == 50_000 && member.costPerRequest == 250)
        #expect(member.tokens(forCost: 1) == 1 && member.tokens(forCost: 251) == 2 && member.tokens(forCost: 500) == 2)
        #expect(settings.rateLimits["anonymous"]?.perIP == RateLimit(perSecond: 5, burst: 10))
    }

    @Test("an undeclared role, a bucket without its rate and a rate that is not a number are each reported where they are written")
    func errors() {
        let yaml = """
            roles: [member]
            rate_limits:
              membr:
                per_user: { burst: 3 }
              member:
                per_ip: { requests_per_second: lots }
            """
        #expect {
            try ProjectSettings.parse(yaml, file: "s.yaml", environment: [:])
        } throws: { error in
            let messages = (error as? SchemaErrors)?.errors.map(\.description) ?? []
            return messages == [
                "s.yaml:3:3: rate_limits names the role 'membr', which roles: does not declare (did you mean 'member'?)",
                "s.yaml:4:15: rate_limits.membr.per_user needs requests_per_second",
                "s.yaml:6:36: requests_per_second must be a whole number above 0, got 'lots'",
            ]
        }
    }
}
