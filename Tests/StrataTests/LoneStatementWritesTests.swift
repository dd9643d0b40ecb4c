import Foundation
import Testing
import TestSupport

/// A mutation of one statement runs without `BEGIN … COMMIT` and commits as it ends; what it
/// answers is what was committed, even when the database defers a check to the commit.
@Suite("Mutations of one statement")
struct LoneStatementWritesTests {
    static let yaml = """
        table: public.ledger
        primary_key: [id]
        columns:
          id: integer
          note: text
        permissions:
          admin:
            select: { columns: "*" }
            insert: { columns: [note] }
            update: { columns: [note] }
        """

    static func insert(_ note: String) -> String {
        "mutation { insert_ledger_one(object: {note: \"\(note)\"}) { note } }"
    }

    @Test("a deferred check failing at the commit is the client's error and leaves nothing written")
    func deferredCheckFails() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute([
            "CREATE TABLE public.ledger (id serial PRIMARY KEY, note text NOT NULL)",
            "GRANT SELECT, INSERT, UPDATE ON public.ledger TO admin",
            "GRANT USAGE ON SEQUENCE public.ledger_id_seq TO admin",
        ])
        let schema = try ServedProject.writeSchema(in: TestScratch.directory("lone-statements"), tables: ["ledger": Self.yaml])
        let served = try await ServedProject.start(schema: schema, database: database)

        // No deferrable check anywhere: one round trip, committed.
        #expect(try await served.ask(Self.insert("first")) == #"{"data":{"insert_ledger_one":{"note":"first"}}}"#)

        // A check deferred to the commit, added while the server runs.
        try await database.execute([
            """
            CREATE FUNCTION public.reject_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.note = 'reject' THEN RAISE EXCEPTION 'rejected at commit' USING ERRCODE = '23514'; END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE CONSTRAINT TRIGGER reject_at_commit AFTER INSERT OR UPDATE ON public.ledger DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION public.reject_at_commit()",
        ])
        let rejected = try await served.ask(Self.insert("reject"))
        #expect(rejected.contains(#""code":"check-violation""#) && !rejected.contains(#""data":{"#), "\(rejected)")
        #expect(try await served.ask(Self.insert("second")) == #"{"data":{"insert_ledger_one":{"note":"second"}}}"#)
        let update = try await served.ask(#"mutation { update_ledger(where: {note: {_eq: "second"}}, _set: {note: "reject"}) { affected_rows } }"#)
        #expect(update.contains(#""code":"check-violation""#), "\(update)")
        let rows = try await database.rows(.init(unsafeSQL: "SELECT note FROM public.ledger ORDER BY id"))
        #expect(rows == [["first"], ["second"]])
        #expect(try await served.stop() == 0)
    }
}
