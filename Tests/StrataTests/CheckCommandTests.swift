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
        for statement in [
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
        ] {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
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
                + "relationship 'task' would have nothing to keep it true",
            "schema/tables/users.yaml:7:3: unique constraint 'users_tenant_email_key' does not exist on public.users",
            "schema/tables/wallets.yaml:12:3: column 'currency' is character varying(3) in the database, not text",
        ], "\(result.stdout)")
    }
}
