import Foundation
import Testing
import TestSupport

/// Tables and columns whose PostgreSQL names GraphQL cannot take (`"First Name"`, `"2fa"`,
/// `crm."Contact-List"`), served under the names their YAML maps them to: reads, filters,
/// ordering, aggregates, relationships, writes and upserts, as a client sees them.
@Suite("Mapped names")
struct MappedNamesTests {
    static let tables = [
        "CREATE SCHEMA crm",
        #"CREATE TABLE crm."Account-Owners" ("Owner Id" integer PRIMARY KEY, "Full Name" text NOT NULL)"#,
        #"CREATE TABLE crm."Contact-List" (id serial PRIMARY KEY, "First Name" text NOT NULL, "2fa" boolean NOT NULL DEFAULT false, "#
            + #""Owner Id" integer REFERENCES crm."Account-Owners" ("Owner Id"), "Score ""%""" integer NOT NULL DEFAULT 0, "#
            + #"CONSTRAINT "Contact First Name" UNIQUE ("First Name"))"#,
        #"INSERT INTO crm."Account-Owners" VALUES (1, 'Ada Byron'), (2, 'Grace Hopper')"#,
        #"INSERT INTO crm."Contact-List" ("First Name", "2fa", "Owner Id", "Score ""%""") VALUES ('Alan', true, 1, 70), ('Barbara', false, 1, 90), ('Claude', true, 2, 40)"#,
        "GRANT USAGE ON SCHEMA crm TO admin",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA crm TO admin",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA crm TO admin",
    ]

    static let owners = """
        table: 'crm."Account-Owners"'
        name: owners
        primary_key: [owner_id]
        columns:
          owner_id: { column: Owner Id, type: integer }
          full_name: { column: Full Name, type: text }
        relationships:
          contacts:
            array: contacts
            columns: { owner_id: owner_id }
        permissions:
          admin:
            select: { columns: "*", aggregates: true }
            insert: { columns: [owner_id, full_name] }
        """

    static let contacts = """
        table: 'crm."Contact-List"'
        name: contacts
        primary_key: [id]
        unique:
          Contact First Name: [first_name]
        columns:
          id: integer
          first_name: { column: First Name, type: text }
          two_factor: { column: 2fa, type: boolean }
          owner_id: { column: Owner Id, type: integer, nullable: true }
          score: { column: 'Score "%"', type: integer }
        relationships:
          owner:
            object: owners
            columns: { owner_id: owner_id }
        permissions:
          admin:
            select: { columns: "*", aggregates: true, filter: { score: { _gte: 0 } } }
            insert: { columns: [first_name, two_factor, owner_id, score] }
            update: { columns: [first_name, two_factor, score], filter: { two_factor: { _is_null: false } } }
            delete: {}
        """

    @Test("columns and tables named with spaces, quotes and digits serve under their mapped names for reads, filters, aggregates, relationships and writes")
    func servesMappedNames() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let project = try TestScratch.directory("mapped-names")
        let schema = try ServedProject.writeSchema(in: project, tables: ["owners": Self.owners + "\nevents: true\n",
                                                                        "contacts": Self.contacts + "\nevents: true\n"])
        try FileManager.default.createDirectory(atPath: project + "/migrations", withIntermediateDirectories: true)
        try (Self.tables.joined(separator: ";\n") + ";\n").write(toFile: project + "/migrations/0001_crm.sql", atomically: true, encoding: .utf8)
        // Change capture on the quoted tables, keyed by their key columns' PostgreSQL names.
        let migrate = try await StrataProcess.run(["migrate", "--database-url", database.url()], directory: project)
        #expect(migrate.status == 0, "\(migrate.stdout)\(migrate.stderr)")
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let served = try await ServedProject.start(schema: schema, database: database)
        func ask(_ query: String, _ variables: String = "{}") async throws -> String { try await served.ask(query, variables) }

        // Reads: filtered, ordered, through relationships both ways, by key, aggregated.
        #expect(try await ask("{ contacts(where: {two_factor: {_eq: true}}, order_by: {score: desc}) { first_name score owner { full_name } } }")
            == #"{"data":{"contacts":[{"first_name":"Alan","score":70,"owner":{"full_name":"AdaByron"}},{"first_name":"Claude","score":40,"owner":{"full_name":"GraceHopper"}}]}}"#)
        let aggregated = try await ask("{ owners(order_by: {owner_id: asc}) { owner_id contacts(order_by: {first_name: asc}) { first_name } contacts_aggregate { aggregate { sum { score } max { first_name } count(columns: [two_factor]) } } } }")
        #expect(aggregated == #"{"data":{"owners":[{"owner_id":1,"contacts":[{"first_name":"Alan"},{"first_name":"Barbara"}],"contacts_aggregate":{"aggregate":{"sum":{"score":160},"max":{"first_name":"Barbara"},"count":2}}},{"owner_id":2,"contacts":[{"first_name":"Claude"}],"contacts_aggregate":{"aggregate":{"sum":{"score":40},"max":{"first_name":"Claude"},"count":1}}}]}}"#, "\(aggregated)")
        #expect(try await ask("{ contacts_by_pk(id: 2) { two_factor owner { owner_id } } }")
            == #"{"data":{"contacts_by_pk":{"two_factor":false,"owner":{"owner_id":1}}}}"#)
        #expect(try await ask("{ contacts(distinct_on: [owner_id], order_by: [{owner_id: asc}, {score: asc}]) { first_name } }")
            == #"{"data":{"contacts":[{"first_name":"Alan"},{"first_name":"Claude"}]}}"#)
        #expect(try await ask("{ owners(where: {contacts: {score: {_gt: 80}}}) { full_name } }")
            == #"{"data":{"owners":[{"full_name":"AdaByron"}]}}"#)
        #expect(try await ask("{ owners(order_by: {contacts_aggregate: {max: {score: desc}}}) { owner_id } contacts(order_by: {owner: {full_name: desc}}, limit: 1) { first_name } }")
            == #"{"data":{"owners":[{"owner_id":1},{"owner_id":2}],"contacts":[{"first_name":"Claude"}]}}"#)

        // Writes: a nested insert, a batch from variables, an update, an upsert on the mapped unique constraint, a delete.
        let nested = try await ask(#"mutation { insert_owners_one(object: {owner_id: 3, full_name: "Edsger", contacts: {data: [{first_name: "Dijkstra", score: 10}]}}) { full_name contacts { first_name two_factor } } }"#)
        #expect(nested == #"{"data":{"insert_owners_one":{"full_name":"Edsger","contacts":[{"first_name":"Dijkstra","two_factor":false}]}}}"#, "\(nested)")
        let batch = try await ask("mutation($rows: [contacts_insert_input!]!) { insert_contacts(objects: $rows) { affected_rows returning { first_name owner { full_name } } } }",
                                  #"{"rows":[{"first_name":"Frances","two_factor":true,"owner_id":2,"score":5},{"first_name":"Gordon","two_factor":false,"owner_id":3,"score":6}]}"#)
        #expect(batch == #"{"data":{"insert_contacts":{"affected_rows":2,"returning":[{"first_name":"Frances","owner":{"full_name":"GraceHopper"}},{"first_name":"Gordon","owner":{"full_name":"Edsger"}}]}}}"#, "\(batch)")
        let updated = try await ask(#"mutation { update_contacts(where: {first_name: {_eq: "Alan"}}, _set: {two_factor: false}, _inc: {score: 5}) { returning { two_factor score } } }"#)
        #expect(updated == #"{"data":{"update_contacts":{"returning":[{"two_factor":false,"score":75}]}}}"#, "\(updated)")
        let upsert = try await ask(#"mutation { insert_contacts_one(object: {first_name: "Alan", score: 99}, on_conflict: {constraint: Contact_First_Name, update_columns: [score]}) { id score } }"#)
        #expect(upsert.contains(#""score":99"#) && upsert.contains(#""id":1"#), "\(upsert)")
        #expect(try await ask("mutation { delete_contacts_by_pk(id: 3) { first_name } }") == #"{"data":{"delete_contacts_by_pk":{"first_name":"Claude"}}}"#)
        let rows = try await database.rows(.init(unsafeSQL: #"SELECT "First Name", "Score ""%"""::text FROM crm."Contact-List" ORDER BY id"#))
        #expect(rows.map { $0.compactMap { $0 }.joined(separator: " ") } == ["Alan 99", "Barbara 90", "Dijkstra 10", "Frances 5", "Gordon 6"])

        let events = try await database.rows(.init(unsafeSQL: "SELECT op, primary_key::text, (new -> 'First Name')::text FROM strata.change_events WHERE table_name = 'contacts' ORDER BY id"))
        #expect(events.map { $0.map { $0 ?? "null" }.joined(separator: " ") } == [
            #"insert {"id": 4} "Dijkstra""#, #"insert {"id": 5} "Frances""#, #"insert {"id": 6} "Gordon""#, #"update {"id": 1} "Alan""#,
            #"update {"id": 1} "Alan""#, #"delete {"id": 3} null"#,
        ])
        let ownerEvents = try await database.rows(.init(unsafeSQL: "SELECT primary_key::text FROM strata.change_events WHERE table_name = 'owners'"))
        #expect(ownerEvents == [[#"{"Owner Id": 3}"#]])

        // The SDL speaks of the mapped names only.
        let sdl = try await StrataProcess.run(["schema", "print", "--schema", schema, "--role", "admin"])
        #expect(sdl.stdout.contains("two_factor: Boolean!") && !sdl.stdout.contains("2fa") && !sdl.stdout.contains("First Name"), "\(sdl.stdout)")
        #expect(try await served.stop() == 0)
    }

    @Test("a mapped column that does not exist, and two names for one column, are errors at their lines")
    func mappingErrors() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute(Self.tables)
        let twoNames = Self.contacts
            .replacingOccurrences(of: "  score: { column: 'Score \"%\"', type: integer }", with: "  score: { column: 'Score \"%\"', type: integer }\n  points: { column: 'Score \"%\"', type: integer }")
            .replacingOccurrences(of: "two_factor, score] }", with: "two_factor, score, points] }")
        let schema = try ServedProject.writeSchema(in: TestScratch.directory("mapped-names-wrong"),
                                                   tables: ["owners": Self.owners.replacingOccurrences(of: "column: Full Name", with: "column: Fullname"),
                                                            "contacts": twoNames])
        let loaded = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(loaded.status != 0)
        #expect(loaded.stderr.contains(#"contacts.yaml:12:3: columns 'score' and 'points' are both the PostgreSQL column 'Score "%"'"#), "\(loaded.stderr)")

        try Self.contacts.write(toFile: schema + "/tables/contacts.yaml", atomically: true, encoding: .utf8)
        let checked = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(checked.status != 0)
        #expect((checked.stdout + checked.stderr).contains("owners.yaml:6:3: column 'Fullname' does not exist in crm.Account-Owners (did you mean 'Full Name'?)"),
                "\(checked.stdout)\(checked.stderr)")
    }
}
