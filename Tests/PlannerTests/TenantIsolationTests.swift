import GraphQLTypeSystem
import Planner
import Testing
import TestSupport

/// The tenant wall holds twice: the plan binds the session's tenant into every table it reads,
/// and row-level security checks the connection's tenant setting. These tests make the two
/// disagree, so whatever comes back got past one of them alone.
@Suite("Tenant isolation of planned queries")
struct TenantIsolationTests {
    /// Strings only Globex's rows hold in the seed.
    static let globexMarkers = ["Globex", "Route planner", "Billing", "Invoice run", "Prove the planner terminates", "Grace Hopper",
                                "Edsger Dijkstra", "Barbara Liskov", "EUR", "A loop variant will do.", "Same title as Acme's task."]

    /// Runs a golden operation for an Acme session whose plan asks for Globex's rows (as a
    /// stale or forged setting would): row-level security alone must return nothing of Globex.
    @Test("with Acme's settings and Globex bound into the SQL, no operation returns a Globex row", arguments: GoldenCase.all.filter { $0.project == "demo" })
    func settingsDisagree(_ golden: GoldenCase) async throws {
        guard golden.tenant == DemoTenants.acme, case .statement(let sql, let parameters) = try golden.plan().body else { return }
        var forged = golden.session
        forged.tenantID = DemoTenants.globex
        let binds = parameters.map { $0.value(variables: golden.variables, session: forged) }
        let output = try await GoldenDatabase.shared.run(sql, binds: binds, session: forged, settingsTenant: DemoTenants.acme)
        let data = try JSONValue.parse(output)
        #expect(Self.leaks(data).isEmpty, "\(Self.leaks(data))")
    }

    /// Admin's select permissions carry no row filter: only row-level security and the bound
    /// tenant keep other tenants out.
    @Test("an admin, whose permissions filter nothing, sees only its own tenant through relationships and aggregates")
    func adminSeesOwnTenant() async throws {
        for tenant in [DemoTenants.acme, DemoTenants.globex] {
            let golden = try #require(GoldenCase.all.first { $0.name == "admin_other_tenant" })
            var session = golden.session
            session.tenantID = tenant
            guard case .statement(let sql, let parameters) = try golden.plan().body else { return }
            let binds = parameters.map { $0.value(variables: golden.variables, session: session) }
            let data = try JSONValue.parse(try await GoldenDatabase.shared.run(sql, binds: binds, session: session))
            #expect(!data.tenantIDs.isEmpty)
            #expect(Set(data.tenantIDs) == [tenant])
        }
    }

    /// What in a result shows a row got through: a Globex id or name, a list with items, a
    /// non-zero count. Introspection answers are schema, not rows.
    static func leaks(_ value: JSONValue, key: String = "") -> [String] {
        switch value {
        case .string(let text):
            let foreign = text == DemoTenants.globex || text.range(of: #"^2\d000000-0000-4000-8000-"#, options: .regularExpression) != nil
                || globexMarkers.contains(text)
            return foreign ? ["\(key): \(text)"] : []
        case .number(let text):
            return key == "count" && text != "0" ? ["count \(text)"] : []
        case .array(let items):
            // `tenants` has no tenant column to bind: its rows are the settings' tenant, checked by marker.
            let listed = items.isEmpty || key == "tenants" ? [] : ["\(key) has \(items.count) items"]
            return listed + items.flatMap { leaks($0, key: key) }
        case .object(let members):
            return members.filter { !$0.0.hasPrefix("__") }.flatMap { leaks($0.1, key: $0.0) }
        default:
            return []
        }
    }
}
