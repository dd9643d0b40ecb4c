import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("The demo domain under row-level security")
struct DomainIsolationTests {
    let logger = Logger(label: "test")
    let acme = DemoTenants.acme
    let globex = DemoTenants.globex

    /// Two tenants, each with a user, a project and a task, written as the owner.
    func seeded() async throws -> TestDatabase {
        let database = try await TestCluster.shared.makeDatabase()
        for statement: PostgresQuery in [
            "INSERT INTO public.tenants (id, name) VALUES (\(acme)::uuid, 'Acme'), (\(globex)::uuid, 'Globex')",
            "INSERT INTO public.users (tenant_id, email, name) VALUES (\(acme)::uuid, 'a@acme.test', 'A'), (\(globex)::uuid, 'g@globex.test', 'G')",
            "INSERT INTO public.projects (tenant_id, name) SELECT tenant_id, 'P ' || name FROM public.users",
            "INSERT INTO public.tasks (tenant_id, project_id, title) SELECT tenant_id, id, 'T ' || name FROM public.projects",
        ] {
            _ = try await database.rows(statement)
        }
        return database
    }

    /// Runs `statement` as `role` for `tenant` in a transaction; the first column of each row (select text).
    func run(_ database: TestDatabase, role: String, tenant: String, _ statement: String) async throws -> [String] {
        try await database.withConnection(as: "strata_authenticator") { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT set_config('role', \(role), true), set_config('app.tenant_id', \(tenant), true)",
                                           logger: logger)
                let rows = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                var values: [String] = []
                for try await row in rows { values.append(row.first.flatMap { $0.bytes.map { String(buffer: $0) } } ?? "") }
                try await connection.query("COMMIT", logger: logger)
                return values
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    @Test("each tenant's member sees only its own users, projects and tasks; no tenant sees nothing")
    func reads() async throws {
        let database = try await seeded()
        for table in ["users", "projects", "tasks"] {
            #expect(try await run(database, role: "member", tenant: acme, "SELECT tenant_id::text FROM public.\(table)") == [acme], "\(table)")
            #expect(try await run(database, role: "admin", tenant: globex, "SELECT tenant_id::text FROM public.\(table)") == [globex], "\(table)")
            #expect(try await run(database, role: "member", tenant: "", "SELECT tenant_id::text FROM public.\(table)") == [], "\(table)")
        }
    }

    @Test("a member cannot write a row into another tenant, nor touch another tenant's rows")
    func writes() async throws {
        let database = try await seeded()
        await #expect(throws: PSQLError.self) {
            _ = try await run(database, role: "member", tenant: acme, """
                INSERT INTO public.tasks (tenant_id, project_id, title)
                VALUES ('\(globex)', (SELECT id FROM public.projects LIMIT 1), 'sneaky')
                """)
        }
        let updated = try await run(database, role: "admin", tenant: acme, "UPDATE public.tasks SET title = 'x' WHERE tenant_id = '\(globex)' RETURNING id")
        #expect(updated.isEmpty)
        let titles = try await run(database, role: "admin", tenant: globex, "SELECT title FROM public.tasks")
        #expect(titles == ["T P G"])
    }

    @Test("wallet balances cannot go negative")
    func wallets() async throws {
        let database = try await seeded()
        await #expect(throws: PSQLError.self) {
            _ = try await run(database, role: "admin", tenant: acme, """
                INSERT INTO public.wallets (tenant_id, user_id, available) SELECT tenant_id, id, -1 FROM public.users
                """)
        }
    }
}
