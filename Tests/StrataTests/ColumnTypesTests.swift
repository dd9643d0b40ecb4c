import Foundation
import PostgresNIO
import Testing
import TestSupport

/// Column types beyond the common ones — `character(n)`, `interval`, `inet`, `cidr`, `tsvector` —
/// through filters, ordering and writes over HTTP, as a client sees them.
@Suite("Column types")
struct ColumnTypesTests {
    static let table = """
        CREATE TABLE public.devices (
            id serial PRIMARY KEY, code character(4) NOT NULL, address inet NOT NULL, network cidr,
            uptime interval, notes text NOT NULL DEFAULT '',
            search tsvector GENERATED ALWAYS AS (to_tsvector('english', notes)) STORED);
        INSERT INTO public.devices (code, address, network, uptime, notes) VALUES
            ('AB', '10.0.0.5', '10.0.0.0/8', '2 hours', 'The quick brown fox'),
            ('CDEF', '192.168.1.20', '192.168.1.0/24', '3 days', 'A lazy dog sleeps'),
            ('G', '2001:db8::1', NULL, NULL, 'Quick thinking, lazy afternoon');
        GRANT SELECT, INSERT, UPDATE ON public.devices TO admin;
        GRANT USAGE ON SEQUENCE public.devices_id_seq TO admin
        """

    static let yaml = """
        table: public.devices
        primary_key: [id]
        columns:
          id: integer
          code: character(4)
          address: inet
          network: { type: cidr, nullable: true }
          uptime: { type: interval, nullable: true }
          notes: text
          search: { type: tsvector, nullable: true }
        permissions:
          admin:
            select: { columns: "*" }
            insert: { columns: [code, address, network, uptime, notes] }
            update: { columns: [code, address, network, uptime, notes] }
        """

    static let settings = """
        auth:
          jwt: { algorithms: [HS256], secret: "${STRATA_JWT_SECRET:-}" }
          claims: { role: role, user_id: sub }
          default_role: admin
        roles:
          admin: {}
        """

    @Test("character(n), interval, inet, cidr and tsvector filter, order and write as their PostgreSQL types; a bad value is a data-exception")
    func typesOverHTTP() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        for statement in Self.table.components(separatedBy: ";\n") {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
        let schema = try TestScratch.directory("column-types") + "/schema"
        try FileManager.default.createDirectory(atPath: schema + "/tables", withIntermediateDirectories: true)
        try Self.settings.write(toFile: schema + "/strata.yaml", atomically: true, encoding: .utf8)
        try Self.yaml.write(toFile: schema + "/tables/devices.yaml", atomically: true, encoding: .utf8)
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let secret = ["STRATA_JWT_SECRET": "types-test-secret-of-thirty-two-bytes"]
        let server = try StrataProcess(["serve", "--port", "0", "--schema", schema, "--database-url", database.url(user: "strata_authenticator")],
                                       environment: secret)
        let serving = try await server.waitForOutput(containing: "Strata is serving")
        let port = try #require(HTTPProbe.port(in: serving))
        let token = try await StrataProcess.run(["token", "--schema", schema, "--role", "admin"], environment: secret)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        func ask(_ query: String, _ variables: String = "{}") async throws -> String {
            let body = #"{"query":"# + String(decoding: try JSONEncoder().encode(query), as: UTF8.self) + #","variables":"# + variables + "}"
            return try await HTTPProbe.graphQL(port: port, token: token, body).body.replacingOccurrences(of: " ", with: "")
        }
        func codes(_ filter: String, order: String = "{id: asc}") async throws -> String {
            try await ask("{ devices(where: \(filter), order_by: \(order)) { code } }")
        }

        // character(n): compared without its padding (answers are compared with blanks removed).
        #expect(try await codes(#"{code: {_eq: "AB"}}"#) == #"{"data":{"devices":[{"code":"AB"}]}}"#)
        #expect(try await codes(#"{code: {_in: ["G", "CDEF"]}}"#) == #"{"data":{"devices":[{"code":"CDEF"},{"code":"G"}]}}"#)
        // inet: compared and ordered by address; cidr too.
        #expect(try await codes(#"{address: {_gt: "10.0.0.5"}}"#) == #"{"data":{"devices":[{"code":"CDEF"},{"code":"G"}]}}"#)
        #expect(try await codes(#"{network: {_eq: "10.0.0.0/8"}}"#) == #"{"data":{"devices":[{"code":"AB"}]}}"#)
        #expect(try await codes("{}", order: "{address: desc}") == #"{"data":{"devices":[{"code":"G"},{"code":"CDEF"},{"code":"AB"}]}}"#)
        // interval: compared as spans of time, whatever the spelling.
        #expect(try await codes(#"{uptime: {_gte: "PT3H"}}"#) == #"{"data":{"devices":[{"code":"CDEF"}]}}"#)
        #expect(try await codes(#"{uptime: {_lt: "1 day"}}"#) == #"{"data":{"devices":[{"code":"AB"}]}}"#)
        // tsvector: a web-search query.
        #expect(try await codes(#"{search: {_matches: "quick -lazy"}}"#) == #"{"data":{"devices":[{"code":"AB"}]}}"#)
        #expect(try await codes(#"{search: {_matches: "\"lazy dog\" or fox"}}"#) == #"{"data":{"devices":[{"code":"AB"},{"code":"CDEF"}]}}"#)
        // The values as the response shows them.
        #expect(try await ask(#"{ devices_by_pk(id: 1) { code address network uptime } }"#)
            == #"{"data":{"devices_by_pk":{"code":"AB","address":"10.0.0.5","network":"10.0.0.0/8","uptime":"02:00:00"}}}"#)

        // Writes, from variables.
        let inserted = try await ask("mutation New($d: devices_insert_input!) { insert_devices_one(object: $d) { code address network uptime } }",
                                     #"{"d":{"code":"NEW","address":"::1","network":"172.16.0.0/12","uptime":"P1DT2H","notes":"fresh start"}}"#)
        #expect(inserted == #"{"data":{"insert_devices_one":{"code":"NEW","address":"::1","network":"172.16.0.0/12","uptime":"1day02:00:00"}}}"#)
        let updated = try await ask(#"mutation { update_devices(where: {code: {_eq: "NEW"}}, _set: {uptime: "90 minutes", address: "10.1.1.1"}) { returning { uptime address } } }"#)
        #expect(updated == #"{"data":{"update_devices":{"returning":[{"uptime":"01:30:00","address":"10.1.1.1"}]}}}"#)
        #expect(try await codes(#"{search: {_matches: "fresh"}}"#) == #"{"data":{"devices":[{"code":"NEW"}]}}"#)

        // A value PostgreSQL cannot read as the type: the client's error, named, never database-error.
        let bad = try await ask(#"{ devices(where: {address: {_eq: "not-an-address"}}) { code } }"#)
        #expect(bad.contains(#""code":"data-exception""#) && bad.contains("not-an-address"), "\(bad)")
        let badWrite = try await ask("mutation New($d: devices_insert_input!) { insert_devices_one(object: $d) { id } }",
                                     #"{"d":{"code":"BAD","address":"10.0.0.1","uptime":"forever"}}"#)
        #expect(badWrite.contains(#""code":"data-exception""#) && badWrite.contains("forever"), "\(badWrite)")

        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
    }
}
