import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("strata check")
struct CheckCommandTests {
    @Test("the demo schema matches the migrated database")
    func matches() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let result = try await StrataProcess.run(["check", "--database-url", database.url()])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK: 9 tables match the database."))
        #expect(result.stdout.contains("note: 'tenants' is readable by admin, member but cannot be subscribed to: not all its writes are captured"),
                "a table missing from subscription_root is named, with why: \(result.stdout)")
    }

    @Test("every drift from the YAML is reported at the YAML line that states it")
    func reportsDrift() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute([
            "ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY",
            "ALTER TABLE public.comments RENAME COLUMN body TO text",
            "ALTER TABLE public.projects ALTER COLUMN description SET NOT NULL",
            "ALTER TABLE public.wallets ALTER COLUMN currency TYPE varchar(3)",
            "ALTER TABLE public.transactions DROP CONSTRAINT transactions_task_id_fkey",
            "ALTER TABLE public.users DROP CONSTRAINT users_tenant_email_key",
            "DROP FUNCTION public.task_is_overdue(public.tasks)",
            // What the event triggers' role may no longer do.
            "REVOKE INSERT ON public.notifications FROM strata_worker",
            "REVOKE SELECT ON public.projects FROM strata_worker",
            // An exposed function that can no longer write.
            "ALTER FUNCTION public.release_hold(uuid) STABLE",
        ])
        let result = try await StrataProcess.run(["check", "--database-url", database.url()])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "schema/functions/release_hold.yaml:2:11: function public.release_hold is not VOLATILE, so it cannot write: expose it as a query",
            "schema/tables/comments.yaml:11:3: column 'body' does not exist in public.comments",
            "schema/tables/comments.yaml:48:3: trigger 'notify_task_assignee' needs INSERT on public.notifications for events.role "
                + "'strata_worker'; run GRANT INSERT ON public.notifications TO strata_worker",
            "schema/tables/projects.yaml:10:3: column 'description' is NOT NULL in the database; remove 'nullable: true'",
            "schema/tables/tasks.yaml:2:8: row-level security is not forced on public.tasks, so its owner bypasses it; "
                + "run ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY",
            "schema/tables/tasks.yaml:39:3: function public.task_is_overdue of computed field 'is_overdue' does not exist",
            "schema/tables/tasks.yaml:71:3: trigger 'notify_assignee' needs SELECT on public.projects for events.role 'strata_worker'; "
                + "run GRANT SELECT ON public.projects TO strata_worker",
            "schema/tables/tasks.yaml:71:3: trigger 'notify_assignee' needs INSERT on public.notifications for events.role 'strata_worker'; "
                + "run GRANT INSERT ON public.notifications TO strata_worker",
            "schema/tables/transactions.yaml:32:13: no foreign key links public.transactions(task_id) and public.tasks(id); "
                + "relationship 'task' would have nothing to keep it true (add one, or 'unchecked: true' to the relationship if none is meant to be)",
            "schema/tables/users.yaml:7:3: unique constraint 'users_tenant_email_key' does not exist on public.users",
            "schema/tables/wallets.yaml:12:3: column 'currency' is character varying(3) in the database, not text",
        ], "\(result.stdout)")
    }

    /// The demo's schema in a scratch directory, with `roles` added to strata.yaml and `tables`
    /// (file name: text) added under tables/.
    func schema(addingRoles roles: [String] = [], tables: [String: String] = [:]) throws -> String {
        let directory = try TestScratch.directory("check-schema") + "/schema"
        try FileManager.default.copyItem(atPath: ProjectFiles.root + "/schema", toPath: directory)
        let settings = directory + "/strata.yaml"
        let text = try String(contentsOfFile: settings, encoding: .utf8)
        let declared = text.replacingOccurrences(of: "  admin: {}\n", with: "  admin: {}\n" + roles.map { "  \($0): {}\n" }.joined())
        try declared.write(toFile: settings, atomically: true, encoding: .utf8)
        for (name, text) in tables {
            try text.write(toFile: directory + "/tables/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test("views with declared keys, unique indexes as keys, foreign keys on every partition and unchecked relationships pass")
    func acceptsKeysBeyondConstraints() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute([
            "CREATE TABLE public.shelves (code text NOT NULL, label text NOT NULL)",
            "CREATE UNIQUE INDEX shelves_code ON public.shelves (code)",
            "CREATE UNIQUE INDEX shelves_label ON public.shelves (lower(label))",
            "CREATE TABLE public.readings (id integer NOT NULL, task_id uuid NOT NULL, taken_on date NOT NULL, PRIMARY KEY (id, taken_on)) "
                + "PARTITION BY RANGE (taken_on)",
            "CREATE TABLE public.readings_2026 PARTITION OF public.readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "CREATE TABLE public.readings_2027 PARTITION OF public.readings FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
            "ALTER TABLE public.readings_2026 ADD FOREIGN KEY (task_id) REFERENCES public.tasks (id)",
            "ALTER TABLE public.readings_2027 ADD FOREIGN KEY (task_id) REFERENCES public.tasks (id)",
            "CREATE VIEW public.open_tasks WITH (security_invoker = true) AS SELECT id, tenant_id, title FROM public.tasks WHERE status <> 'done'",
            "CREATE VIEW public.task_titles AS SELECT id, title FROM public.tasks",
        ])
        let tables = [
            "shelves.yaml": """
                table: public.shelves
                primary_key: [code]
                columns: { code: text, label: text }
                relationships:
                  named_tasks: { array: tasks, columns: { label: title }, unchecked: true }
                """,
            "readings.yaml": """
                table: public.readings
                primary_key: [id, taken_on]
                columns: { id: integer, task_id: uuid, taken_on: date }
                relationships:
                  task: { object: tasks, columns: { task_id: id } }
                """,
            "open_tasks.yaml": """
                table: public.open_tasks
                primary_key: [id]
                tenant_column: tenant_id
                columns: { id: uuid, tenant_id: uuid, title: text }
                relationships:
                  task: { object: tasks, columns: { id: id }, unchecked: true }
                """,
        ]
        let passing = try schema(tables: tables)
        let result = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", passing])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK: 12 tables match the database."), "\(result.stdout)")

        // Without `unchecked`, a tenant view without security_invoker, a key only an expression index covers, and a
        // foreign key missing from one partition: each is reported.
        _ = try await database.rows(PostgresQuery(unsafeSQL: "ALTER TABLE public.readings_2027 DROP CONSTRAINT readings_2027_task_id_fkey"))
        var failing = tables
        failing["shelves.yaml"] = tables["shelves.yaml"]!.replacingOccurrences(of: ", unchecked: true", with: "")
            .replacingOccurrences(of: "primary_key: [code]", with: "primary_key: [label]")
        failing["open_tasks.yaml"] = tables["open_tasks.yaml"]!.replacingOccurrences(of: "public.open_tasks", with: "public.task_titles")
            .replacingOccurrences(of: "tenant_column: tenant_id\n", with: "tenant_column: id\n")
            .replacingOccurrences(of: "tenant_id: uuid, ", with: "")
        let refused = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", try schema(tables: failing)])
        #expect(refused.status == 1)
        let lines = refused.stdout.split(separator: "\n").map { String($0).replacing(#/^.*\/schema\//#, with: "schema/") }
        #expect(lines == [
            "schema/tables/open_tasks.yaml:1:8: view public.task_titles reads its tables with its owner's rights, so their row-level security "
                + "does not apply to the requesting role; run ALTER VIEW public.task_titles SET (security_invoker = true)",
            "schema/tables/readings.yaml:5:19: no foreign key links public.readings(task_id) and public.tasks(id); relationship 'task' would have "
                + "nothing to keep it true (add one, or 'unchecked: true' to the relationship if none is meant to be)",
            "schema/tables/shelves.yaml:1:8: public.shelves has no primary key in the database, not (label)",
            "schema/tables/shelves.yaml:5:25: no foreign key links public.shelves(label) and public.tasks(title); relationship 'named_tasks' "
                + "would have nothing to keep it true (add one, or 'unchecked: true' to the relationship if none is meant to be)",
        ], "\(refused.stdout)")
    }

    @Test("roles missing from PostgreSQL, roles the login role may not assume, and grants missing for permitted columns are reported")
    func reportsRolesAndGrants() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        // Roles belong to the whole cluster: this one is the test's own.
        let unassumable = "check_unassumable_\(UInt32.random(in: 0...UInt32.max))"
        try await database.execute([
            "CREATE ROLE \(unassumable) NOLOGIN",
            "REVOKE DELETE ON public.comments FROM member",
            // The preset column (author_id) is written too.
            "REVOKE INSERT ON public.comments FROM member",
            "GRANT INSERT (task_id, body) ON public.comments TO member",
            "REVOKE SELECT (name) ON public.projects FROM anonymous",
            "REVOKE EXECUTE ON FUNCTION public.task_is_overdue(public.tasks) FROM member, PUBLIC",
        ])
        let schema = try schema(addingRoles: ["auditor_never_created", unassumable])
        let result = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: schema + "/", with: "") }
        #expect(lines == [
            "strata.yaml:37:3: role 'auditor_never_created' does not exist in the database; create it "
                + "(CREATE ROLE auditor_never_created NOLOGIN NOINHERIT) and GRANT auditor_never_created TO strata_authenticator",
            "strata.yaml:38:3: the login role strata_authenticator may not assume role '\(unassumable)'; run GRANT \(unassumable) TO strata_authenticator",
            "tables/comments.yaml:26:7: role 'member' may insert author_id of comments, but the database does not grant it; "
                + "run GRANT INSERT (author_id) ON public.comments TO member",
            "tables/comments.yaml:34:7: role 'member' may delete from comments, but the database does not grant it; "
                + "run GRANT DELETE ON public.comments TO member",
            "tables/projects.yaml:27:7: role 'anonymous' may select name of projects, but the database does not grant it; "
                + "run GRANT SELECT (name) ON public.projects TO anonymous",
            "tables/tasks.yaml:46:7: role 'member' may read computed field 'is_overdue', but the database does not let it run "
                + "public.task_is_overdue(task tasks); run GRANT EXECUTE ON FUNCTION public.task_is_overdue(task tasks) TO member",
        ], "\(result.stdout)")
        _ = try await database.rows(PostgresQuery(unsafeSQL: "DROP ROLE \(unassumable)"))
    }

    @Test("strata serve refuses a schema that does not match the database, and serves it with --skip-check")
    func serveRefusesMismatch() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        _ = try await database.rows(PostgresQuery(unsafeSQL: "REVOKE DELETE ON public.comments FROM member"))
        let secret = ["STRATA_JWT_SECRET": "check-test-secret-of-thirty-two-bytes"]
        let refused = try await StrataProcess.run(["serve", "--port", "0", "--database-url", database.url(user: "strata_authenticator")],
                                                  environment: secret)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("refusing to serve: the schema does not match the database"), "\(refused.stderr)")
        #expect(refused.stderr.contains("schema/tables/comments.yaml:34:7: role 'member' may delete from comments"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--skip-check"))

        let served = try StrataProcess(["serve", "--port", "0", "--skip-check", "--database-url", database.url(user: "strata_authenticator")],
                                       environment: secret)
        do {
            _ = try await served.waitForOutput(containing: "Strata is serving")
        } catch {
            Issue.record("\(error)")
            return
        }
        #expect(served.standardError.contains("role 'member' may delete from comments"), "each mismatch is a warning: \(served.standardError)")
        served.signal(SIGTERM)
        #expect(try await served.exitStatus() == 0)
    }

    @Test("--fix writes what the database gained — columns, relationships both ways from a foreign key on one of them — and the check then passes")
    func fixesAdditiveDrift() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute([
            "ALTER TABLE public.projects ADD COLUMN archived_at timestamptz",
            "ALTER TABLE public.projects ADD COLUMN lead_id uuid REFERENCES public.users (id)",
            "CREATE FUNCTION public.project_task_count(p public.projects) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM public.tasks WHERE project_id = p.id $$",
            "GRANT SELECT ON public.projects TO admin, member",
        ])
        let schema = try schema()
        let before = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(before.status == 0, "new columns alone are not a mismatch: \(before.stdout)")
        let fixed = try await StrataProcess.run(["check", "--fix", "--database-url", database.url(), "--schema", schema])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("fixed \(schema)/tables/projects.yaml: column archived_at added; column lead_id added; relationship lead added"),
                "\(fixed.stdout)")
        #expect(fixed.stdout.contains("fixed \(schema)/tables/users.yaml: relationship projects_by_lead_id added"), "\(fixed.stdout)")
        #expect(fixed.stdout.contains("OK: 9 tables match the database."))
        #expect(fixed.stdout.split(separator: "\n").filter { $0.hasPrefix("fixed ") }.count == 2, "only the tables that gained something: \(fixed.stdout)")
        let projects = try String(contentsOfFile: schema + "/tables/projects.yaml", encoding: .utf8)
        #expect(projects.contains("  archived_at:\n    type: timestamptz\n    nullable: true") && projects.contains("  lead:\n    object: users\n    columns: { lead_id: id }"),
                "\(projects)")
        #expect(projects.contains("  anonymous:\n    select:\n      columns: [id, name]"), "the permissions stay as written")
        #expect(!projects.contains("task_count"), "a function is not drift: exposing it is the author's choice")
        let again = try await StrataProcess.run(["check", "--fix", "--database-url", database.url(), "--schema", schema])
        #expect(!again.stdout.contains("fixed "), "\(again.stdout)")
    }
}
