import Logging
import PostgresNIO
import Testing
import TestSupport
@testable import Database

@Suite("Roles and row-level security on the embedded PostgreSQL")
struct RoleIntegrationTests {
    let logger = Logger(label: "test")
    let acme = DemoTenants.acme
    let globex = DemoTenants.globex

    func seeded() async throws -> TestDatabase {
        let database = try await TestCluster.shared.makeDatabase()
        _ = try await database.rows("INSERT INTO public.tenants (id, name) VALUES (\(acme)::uuid, 'Acme'), (\(globex)::uuid, 'Globex')")
        return database
    }

    @Test("strata_authenticator logs in and is safe to serve with; the superuser is refused")
    func loginRoles() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let authenticator = try await database.withConnection(as: "strata_authenticator") { connection in
            try await LoginRole.current(on: connection, logger: logger)
        }
        #expect(authenticator == LoginRole(name: "strata_authenticator", isSuperuser: false, bypassesRowSecurity: false))
        #expect(authenticator.unsafeReason == nil)

        let superuser = try await database.withConnection { connection in
            try await LoginRole.current(on: connection, logger: logger)
        }
        #expect(superuser.isSuperuser)
        #expect(superuser.unsafeReason?.contains("superuser") == true)
        #expect(superuser.unsafeReason?.contains("--allow-unsafe-role") == true)
    }

    @Test("a role with BYPASSRLS is refused too")
    func bypass() {
        let role = LoginRole(name: "etl", isSuperuser: false, bypassesRowSecurity: true)
        #expect(role.unsafeReason?.contains("BYPASSRLS") == true)
    }

    @Test("a member session sees only its own tenant, and nothing without a tenant setting")
    func tenantIsolation() async throws {
        let database = try await seeded()
        let visible = try await database.withConnection(as: "strata_authenticator") { connection in
            var seen: [[String]] = []
            for tenant in [acme, globex, ""] {
                try await connection.query("BEGIN", logger: logger)
                try await connection.query(
                    "SELECT set_config('role', 'member', true), set_config('app.tenant_id', \(tenant), true)", logger: logger)
                let rows = try await connection.query("SELECT name FROM public.tenants ORDER BY name", logger: logger)
                var names: [String] = []
                for try await name in rows.decode(String.self) { names.append(name) }
                seen.append(names)
                try await connection.query("COMMIT", logger: logger)
            }
            return seen
        }
        #expect(visible == [["Acme"], ["Globex"], []])
    }

    @Test("the authenticator itself reads no application table, and cannot become a superuser role")
    func authenticatorHasNoDirectAccess() async throws {
        let database = try await seeded()
        await #expect {
            try await database.rows("SELECT name FROM public.tenants", as: "strata_authenticator")
        } throws: { error in
            (error as? PSQLError)?.serverInfo?[.message]?.contains("permission denied") == true
        }
        await #expect {
            try await database.rows("SET ROLE postgres", as: "strata_authenticator")
        } throws: { error in
            (error as? PSQLError)?.serverInfo?[.message]?.contains("permission denied") == true
        }
    }

    @Test("reports the server it connected to")
    func serverVersion() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let version = try await database.rows("SELECT current_setting('server_version_num')")
        let number = Int(version.first?.first.flatMap { $0 } ?? "") ?? 0
        print("connected to the embedded PostgreSQL \(number / 10000) at \(database.cluster.socketPath())")
        #expect(number >= 130000)
    }
}
