import Foundation
import Testing
import TestSupport

/// A project started from nothing: its own YAML and one migration, no roles migration copied
/// from the demo and no demo data.
@Suite("A new project")
struct NewProjectTests {
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("strata dev creates the login role and the YAML's roles, runs the migrations granting them, and serves without migrations/demo")
    func startsFromNothing() async throws {
        let project = try TestScratch.directory("new-project")
        try write("""
            auth:
              jwt:
                algorithms: [HS256]
              claims:
                role: role
              default_role: reader
            roles:
              reader: {}
              editor: {}
            """, to: project + "/schema/strata.yaml")
        try write("""
            table: public.books
            primary_key: [id]
            columns:
              id: integer
              title: text
            permissions:
              reader:
                select:
                  columns: "*"
            """, to: project + "/schema/tables/books.yaml")
        // The roles exist before the first migration runs: it grants to them.
        try write("""
            CREATE TABLE public.books (id integer PRIMARY KEY, title text NOT NULL);
            INSERT INTO public.books VALUES (1, 'Dune'), (2, 'Emma');
            GRANT USAGE ON SCHEMA public TO reader;
            GRANT SELECT ON public.books TO reader;
            """, to: project + "/migrations/0001_books.sql")
        let data = project + "/.strata"
        let server = try StrataProcess(["dev", "--port", "0", "--data-dir", data, "--no-watch"], directory: project)
        let serving = try await server.waitForOutput(containing: "Strata is serving")
        #expect(server.standardOutput.contains("Created role(s): strata_authenticator, reader, editor"), "\(server.standardOutput)")
        #expect(server.standardOutput.contains("migrations/0001_books.sql"))
        #expect(!server.standardError.contains("does not match the database"), "the new project passes the check: \(server.standardError)")
        let port = try #require(HTTPProbe.port(in: serving))
        let minted = try await StrataProcess.run(["token", "--data-dir", data, "--role", "reader"], directory: project)
        let token = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = try await HTTPProbe.graphQL(port: port, token: token, #"{"query":"{ books(order_by: {id: asc}) { title } }"}"#)
        #expect(answer.status == 200)
        let result = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: [String: [[String: String]]]]
        #expect(result?["data"]?["books"] == [["title": "Dune"], ["title": "Emma"]], "\(answer.body)")
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)

        // The roles are made once: a second run creates none and says the database is up to date.
        let again = try StrataProcess(["dev", "--port", "0", "--data-dir", data, "--no-watch"], directory: project)
        _ = try await again.waitForOutput(containing: "Strata is serving")
        #expect(!again.standardOutput.contains("Created role"))
        #expect(again.standardOutput.contains("Database is up to date."))
        again.signal(SIGTERM)
        #expect(try await again.exitStatus() == 0)
    }
}
