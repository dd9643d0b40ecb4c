import Foundation
import Testing
import TestSupport

@Suite("strata command line")
struct CommandLineTests {
    @Test("usage errors exit 2, help and version exit 0")
    func exitCodes() async throws {
        let bogus = try await StrataProcess.run(["--no-such-flag"])
        #expect(bogus.status == 2)
        #expect(bogus.stderr.contains("--no-such-flag"))

        let unknown = try await StrataProcess.run(["serve", "--port", "seventy"])
        #expect(unknown.status == 2)

        let help = try await StrataProcess.run(["serve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--allow-unsafe-role"))
        #expect(help.stdout.contains("--data-dir"))

        let version = try await StrataProcess.run(["version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("strata "))
    }

    @Test("a malformed port in the environment is a usage error naming the variable")
    func badEnvironmentPort() async throws {
        let result = try await StrataProcess.run(["serve"], environment: ["STRATA_PORT": "80a"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("STRATA_PORT"))
    }

    @Test("a number of concurrent reads or writes outside 1…1000, or not a number, is a usage error naming it",
          arguments: [("reads", "0"), ("writes", "1001")])
    func badConcurrency(kind: String, outside: String) async throws {
        let option = try await StrataProcess.run(["serve", "--concurrent-\(kind)", outside])
        #expect(option.status == 2)
        #expect(option.stderr.contains("the number of concurrent \(kind) must be between 1 and 1000, got \(outside)"), "\(option.stderr)")
        let variable = "STRATA_CONCURRENT_\(kind.uppercased())"
        let word = try await StrataProcess.run(["serve"], environment: [variable: "few"])
        #expect(word.status == 2)
        #expect(word.stderr.contains("\(variable) must be a number, got 'few'"), "\(word.stderr)")
    }

    @Test("a thread count outside 1…1024, or not a number, is a usage error naming it")
    func badThreadCount() async throws {
        let zero = try await StrataProcess.run(["serve", "--threads", "0"])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("the number of threads must be between 1 and 1024, got 0"), "\(zero.stderr)")
        let word = try await StrataProcess.run(["serve"], environment: ["STRATA_THREADS": "many"])
        #expect(word.status == 2)
        #expect(word.stderr.contains("STRATA_THREADS must be a number, got 'many'"), "\(word.stderr)")
    }

    @Test("token --claim adds custom claims, JSON values as JSON, and refuses one the token already carries")
    func customClaims() async throws {
        let secret = ["STRATA_JWT_SECRET": String(repeating: "k", count: 48)]
        let result = try await StrataProcess.run(["token", "--role", "member", "--tenant", DemoTenants.acme,
                                                  "--claim", "plan=gold", "--claim", "seats=12", "--claim", #"teams=["a","b"]"#],
                                                 environment: secret)
        try #require(result.status == 0, "\(result.stderr)")
        var payload = String(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")[1])
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let json = try #require(Data(base64Encoded: payload))
        let claims = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(claims["plan"] as? String == "gold")
        #expect(claims["seats"] as? Int == 12)
        #expect(claims["teams"] as? [String] == ["a", "b"])
        let clash = try await StrataProcess.run(["token", "--role", "member", "--claim", "exp=1"], environment: secret)
        #expect(clash.status != 0 && clash.stderr.contains("sets a claim the token already carries"), "\(clash.stderr)")
        let malformed = try await StrataProcess.run(["token", "--role", "member", "--claim", "plan"], environment: secret)
        #expect(malformed.status != 0 && malformed.stderr.contains("--claim needs key=value"), "\(malformed.stderr)")
    }

    @Test("serve without a secret for its HS256 tokens refuses to start, saying what to set")
    func refusesWithoutSecret() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let result = try await StrataProcess.run(["serve", "--port", "0", "--data-dir", try TestScratch.directory("no-secret"),
                                                  "--database-url", database.url(user: "strata_authenticator")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("HS256 needs auth.jwt.secret (or STRATA_JWT_SECRET)"), "\(result.stderr)")
    }

    @Test("serve refuses a database an older Strata migrated, naming what is missing and what to run")
    func refusesUnmigratedDatabase() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute(["DROP FUNCTION strata.permission_check(boolean, text)"])
        let result = try await StrataProcess.run(["serve", "--port", "0", "--database-url", database.url(user: "strata_authenticator")],
                                                 environment: ["STRATA_JWT_SECRET": "refuses-unmigrated-secret-of-32-bytes"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to serve: the database lacks strata.permission_check(boolean, text), which this Strata's statements call; "
            + "run `strata migrate` with this version first"), "\(result.stderr)")
    }

    @Test("serve refuses to run as a superuser, explaining why")
    func refusesSuperuser() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let result = try await StrataProcess.run(["serve", "--port", "0", "--database-url", database.url()])
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to serve"))
        #expect(result.stderr.contains("'postgres' is a superuser"))
        #expect(result.stderr.contains("row-level security"))
    }

    @Test("serve as strata_authenticator answers /healthz, a second server on its port fails clearly, SIGTERM stops it")
    func servesAsAuthenticator() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        let secret = ["STRATA_JWT_SECRET": "a-test-secret-of-at-least-32-bytes"]
        let server = try StrataProcess(["serve", "--port", "0", "--database-url", database.url(user: "strata_authenticator")], environment: secret)
        let line = try await server.waitForOutput(containing: "Strata is serving")
        let port = try #require(HTTPProbe.port(in: line))
        #expect(try await HTTPProbe.status(port: port, path: "/healthz") == 200)
        #expect(try await HTTPProbe.status(port: port, path: "/readyz") == 200)

        let clash = try await StrataProcess.run(["serve", "--port", "\(port)", "--database-url", database.url(user: "strata_authenticator")],
                                                environment: secret)
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("could not listen on 127.0.0.1:\(port): Address already in use"))

        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
    }

    @Test("migrate on a tampered migration fails naming the file and applies nothing")
    func tamperedMigration() async throws {
        let database = try await TestCluster.shared.makeDatabase(migrated: false)
        let project = try TestScratch.directory("project")
        try FileManager.default.createDirectory(atPath: project + "/migrations", withIntermediateDirectories: true)
        for name in ["0001_roles.sql", "0002_tenants.sql"] {
            try FileManager.default.copyItem(atPath: ProjectFiles.root + "/migrations/" + name, toPath: project + "/migrations/" + name)
        }
        let first = try await StrataProcess.run(["migrate", "--database-url", database.url()], directory: project)
        #expect(first.status == 0, "\(first.stderr)")
        // The project's two and Strata's own (change events, permission checks, change notifications, event channels,
        // declared handlers, domain events and schedules, the change feed, the channel start, shared rate counts).
        #expect(first.stdout.contains("13 migration(s) applied"))

        let tenants = project + "/migrations/0002_tenants.sql"
        try (try String(contentsOfFile: tenants, encoding: .utf8) + "\n-- edited later\n").write(toFile: tenants, atomically: true, encoding: .utf8)
        try "CREATE TABLE public.projects (id int);".write(toFile: project + "/migrations/0003_projects.sql", atomically: true, encoding: .utf8)
        let second = try await StrataProcess.run(["migrate", "--database-url", database.url()], directory: project)
        #expect(second.status == 1)
        #expect(second.stderr.contains("migrations/0002_tenants.sql: was changed after it was applied"))
        let projects = try await database.rows("SELECT to_regclass('public.projects')::text")
        #expect(projects == [[nil]])
    }
}

@Suite("strata format")
struct FormatCommandTests {
    @Test("prints the canonical form and exits 0")
    func formats() async throws {
        let file = try TestScratch.directory("format") + "/query.graphql"
        try "query Q($id:ID!){user(id:$id){name,...F}} fragment F on User{email}".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await StrataProcess.run(["format", file])
        #expect(result.status == 0)
        #expect(result.stdout == "query Q($id: ID!) {\n  user(id: $id) {\n    name\n    ...F\n  }\n}\n\nfragment F on User {\n  email\n}\n")
    }

    @Test("a syntax error prints GraphQL errors JSON on standard output and exits 1")
    func syntaxError() async throws {
        let file = try TestScratch.directory("format") + "/broken.graphql"
        try "type Query {\n  a: [Int\n}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await StrataProcess.run(["format", file])
        #expect(result.status == 1)
        #expect(result.stdout == #"{"errors":[{"message":"Syntax Error: Expected \"]\", found \"}\".","locations":[{"line":3,"column":1}],"extensions":{"code":"parse-failed"}}]}"# + "\n")
    }

    @Test("a missing file is a usage error")
    func missingFile() async throws {
        let result = try await StrataProcess.run(["format", "/nonexistent.graphql"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot read /nonexistent.graphql"))
    }
}

@Suite("strata validate")
struct ValidateCommandTests {
    func files(schema: String, query: String) throws -> (String, String) {
        let directory = try TestScratch.directory("validate")
        try schema.write(toFile: directory + "/schema.graphql", atomically: true, encoding: .utf8)
        try query.write(toFile: directory + "/query.graphql", atomically: true, encoding: .utf8)
        return (directory + "/schema.graphql", directory + "/query.graphql")
    }

    let schema = "type User { id: ID! name: String }\ntype Query { user(id: ID!): User }\n"

    @Test("a valid document prints OK and exits 0")
    func valid() async throws {
        let (sdl, query) = try files(schema: schema, query: "query Q { user(id: 1) { name } }")
        let result = try await StrataProcess.run(["validate", "--sdl", sdl, "--operation", "Q", query])
        #expect(result.status == 0)
        #expect(result.stdout == "OK\n")
    }

    @Test("validation errors print as GraphQL errors JSON with locations and exit 1")
    func invalid() async throws {
        let (sdl, query) = try files(schema: schema, query: "{\n  user { nme }\n}")
        let result = try await StrataProcess.run(["validate", "--sdl", sdl, query])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#"{"message":"Cannot query field \"nme\" on type \"User\". Did you mean \"name\"?","locations":[{"line":2,"column":10}]"#))
        #expect(result.stdout.contains(#"{"message":"Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided.","locations":[{"line":2,"column":3}]"#))
    }

    @Test("syntax errors in either file, schema problems and unknown operations are reported the same way", arguments: [
        ("type Query { a: }", "{ a }", #"Syntax Error: Expected Name, found \"}\"."#),
        ("type Query { a: Strin }", "{ a }", #"Unknown type \"Strin\". Did you mean \"String\"?"#),
        ("type Query { a: Int }", "{ a", "Syntax Error: Expected Name, found <EOF>."),
    ])
    func problems(schemaText: String, queryText: String, message: String) async throws {
        let (sdl, query) = try files(schema: schemaText, query: queryText)
        let result = try await StrataProcess.run(["validate", "--sdl", sdl, query])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix(#"{"errors":[{"message":""# + message))
    }

    @Test("a missing operation is an error")
    func missingOperation() async throws {
        let (sdl, query) = try files(schema: schema, query: "query Q { user(id: 1) { name } }")
        let result = try await StrataProcess.run(["validate", "--sdl", sdl, "--operation", "R", query])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#"Unknown operation named \"R\"."#))
    }
}
