import Foundation
import Logging
import PostgresNIO
import Testing
import TestSupport
@testable import Database

/// Migrations as `pg_dump` writes them: `COPY … FROM stdin` blocks and session settings.
@Suite("Migrations with pg_dump's COPY blocks and settings")
struct MigrationDumpTests {
    let logger = Logger(label: "test")

    func apply(_ files: [String: String], on database: TestDatabase) async throws -> Migrator.Report {
        let path = try TestScratch.directory("dump-migrations")
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        let set = try MigrationSet.load(directory: path)
        return try await database.withConnection { connection in
            try await Migrator(connection: connection, logger: logger).apply(set)
        }
    }

    static let dump = """
        SET client_encoding = 'UTF8';
        SELECT pg_catalog.set_config('search_path', '', false);
        CREATE SCHEMA rental;
        CREATE TABLE rental."Film" (film_id integer PRIMARY KEY, title text NOT NULL, "Rating" text, note text);
        COPY rental."Film" (film_id, title, "Rating", note) FROM stdin;
        1\tACADEMY DINOSAUR\tPG\t\\N
        2\tACE GOLDFINGER\tG\ttab\\there; backslash \\\\ end
        3\tADAPTATION HOLES\t\\N\tsemicolon; then more
        \\.
        CREATE TABLE rental.after_copy (x int);
        """

    @Test("a dump's COPY rows load as written (nulls, escapes, quoted names), and statements after the block run")
    func copyBlocks() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let report = try await apply(["0001_dump.sql": Self.dump], on: database)
        #expect(report.applied.count == 1 && report.applied[0].hasSuffix("0001_dump.sql"))
        let rows = try await database.rows(#"SELECT film_id::text, title, "Rating", note FROM rental."Film" ORDER BY film_id"#)
        #expect(rows == [["1", "ACADEMY DINOSAUR", "PG", nil],
                         ["2", "ACE GOLDFINGER", "G", "tab\there; backslash \\ end"],
                         ["3", "ADAPTATION HOLES", nil, "semicolon; then more"]])
        #expect(try await database.rows("SELECT to_regclass('rental.after_copy')::text") == [["rental.after_copy"]])
    }

    @Test("a session setting of one migration does not reach the next")
    func freshSessions() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let report = try await apply([
            "0001_dump.sql": Self.dump,
            "0002_next.sql": "CREATE TABLE plain_name (x int);\nSET ROLE NONE;\n",
            "0003_after.sql": "CREATE TABLE another (y int);",
        ], on: database)
        #expect(report.applied.count == 3, "search_path emptied by the dump would leave the next file nowhere to create its table")
        #expect(try await database.rows("SELECT to_regclass('public.plain_name')::text, to_regclass('public.another')::text")
                == [["plain_name", "another"]])
    }

    @Test("a bad COPY row is reported at its line in the file and nothing of the file is kept")
    func badRow() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let file = """
            CREATE TABLE t (a int, b text);
            COPY t (a, b) FROM stdin;
            1\tone
            two\ttwo
            \\.
            """
        await #expect {
            try await apply(["0001_rows.sql": file], on: database)
        } throws: { error in
            let text = "\(error)"
            return text.contains("0001_rows.sql:4:1") && text.contains("invalid input syntax for type integer") && text.contains("rolled back")
        }
        #expect(try await database.rows("SELECT to_regclass('public.t')::text") == [[nil]])
    }

    @Test("COPY options other than pg_dump's plain text are refused with the reason, never a hang")
    func unsupportedOptions() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        await #expect {
            try await apply(["0001_csv.sql": "CREATE TABLE c (a int);\nCOPY c (a) FROM stdin WITH (FORMAT csv);\n1\n\\.\n"], on: database)
        } throws: { error in
            let text = "\(error)"
            return text.contains("0001_csv.sql:2:1") && text.contains("only the plain text format")
        }
    }

    @Test("reading COPY statements: qualified and quoted names, folded case, options")
    func parsing() throws {
        let copy = try CopyStatement(#"COPY Public."Film ""X""" (Film_ID, "Title") FROM stdin"#)
        #expect(copy.table == ["public", #"Film "X""#])
        #expect(copy.columns == ["film_id", "Title"])
        #expect(CopyStatement.readsStandardInput("copy t from STDIN"))
        #expect(!CopyStatement.readsStandardInput("COPY t FROM '/tmp/file'"))
        #expect(throws: CopyStatement.Unsupported.self) { try CopyStatement("COPY ONLY t FROM stdin") }
    }
}
