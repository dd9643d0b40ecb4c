import Foundation
import Logging
import PostgresNIO
import Testing
import TestSupport
@testable import Database

@Suite("Migrations on the embedded PostgreSQL")
struct MigratorIntegrationTests {
    let logger = Logger(label: "test")

    func migrationsDirectory(_ files: [String: String]) throws -> String {
        let path = try TestScratch.directory("migrations")
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    func apply(_ directory: String, on database: TestDatabase) async throws -> Migrator.Report {
        let set = try MigrationSet.load(directory: directory)
        return try await database.withConnection { connection in
            try await Migrator(connection: connection, logger: logger).apply(set)
        }
    }

    @Test("the project's migrations apply to a fresh database, are recorded, and a rerun applies nothing")
    func projectMigrations() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let directory = ProjectFiles.root + "/migrations"
        let files = try MigrationSet.load(directory: directory).migrations
        let first = try await apply(directory, on: database)
        #expect(first.applied == files.map(\.displayPath))
        let recorded = try await database.rows("SELECT version, checksum FROM strata.schema_migrations ORDER BY version")
        #expect(recorded == files.map { [$0.version, $0.checksum] })
        let second = try await apply(directory, on: database)
        #expect(second.applied.isEmpty && second.alreadyApplied == files.count)
    }

    @Test("a changed applied migration stops the run, naming the file, before anything is applied")
    func tampered() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let directory = try migrationsDirectory(["0001_a.sql": "CREATE TABLE a (x int);"])
        _ = try await apply(directory, on: database)
        try "CREATE TABLE a (x bigint);".write(toFile: directory + "/0001_a.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE b (y int);".write(toFile: directory + "/0002_b.sql", atomically: true, encoding: .utf8)
        await #expect {
            try await apply(directory, on: database)
        } throws: { error in
            let text = "\(error)"
            return text.contains("0001_a.sql") && text.contains("was changed after it was applied")
        }
        let tables = try await database.rows("SELECT to_regclass('public.b')::text")
        #expect(tables == [[nil]])
    }

    @Test("a failing migration is rolled back whole and reported at its file, line and column")
    func failing() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let directory = try migrationsDirectory([
            "0001_ok.sql": "CREATE TABLE ok (x int);",
            "0002_bad.sql": "CREATE TABLE half (x int);\nINSERT INTO half VALUES (1);\n\nCREATE TABLE broken (\n    y intt\n);\n",
        ])
        await #expect {
            try await apply(directory, on: database)
        } throws: { error in
            guard let error = error as? MigrationError else { return false }
            return error.file.hasSuffix("0002_bad.sql") && error.line == 5 && error.column == 7
                && error.message.contains("type \"intt\" does not exist") && error.message.contains("rolled back")
        }
        let state = try await database.rows("SELECT to_regclass('public.ok')::text, to_regclass('public.half')::text, (SELECT string_agg(version, ',') FROM strata.schema_migrations)")
        #expect(state == [["ok", nil, "0001"]])
    }

    @Test("a recorded migration whose file is gone stops the run")
    func missing() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let directory = try migrationsDirectory(["0001_a.sql": "SELECT 1;", "0002_b.sql": "SELECT 2;"])
        _ = try await apply(directory, on: database)
        try FileManager.default.removeItem(atPath: directory + "/0002_b.sql")
        await #expect {
            try await apply(directory, on: database)
        } throws: { error in
            "\(error)".contains("migration 0002: is recorded as applied but its file is missing")
        }
    }

    @Test("demo data is versioned apart from the schema")
    func demoData() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let set = try MigrationSet.load(directory: ProjectFiles.root + "/migrations/demo", versionPrefix: "demo/")
        let report = try await database.withConnection { connection in
            try await Migrator(connection: connection, logger: logger).apply(set)
        }
        #expect(report.applied.count == set.migrations.count)
        let rows = try await database.rows("SELECT count(*)::text FROM public.tenants")
        #expect(rows == [["2"]])
        // The schema set does not mistake demo versions for missing schema files.
        let schema = try MigrationSet.load(directory: ProjectFiles.root + "/migrations")
        let again = try await database.withConnection { connection in
            try await Migrator(connection: connection, logger: logger).apply(schema)
        }
        #expect(again.applied.isEmpty)
    }
}
