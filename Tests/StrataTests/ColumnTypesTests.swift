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
            uptime interval, notes text NOT NULL DEFAULT '', firmware bytea, tags text[] NOT NULL DEFAULT '{}', ports integer[],
            search tsvector GENERATED ALWAYS AS (to_tsvector('english', notes)) STORED);
        INSERT INTO public.devices (code, address, network, uptime, notes, tags, ports) VALUES
            ('AB', '10.0.0.5', '10.0.0.0/8', '2 hours', 'The quick brown fox', '{lab,edge}', '{22,443}'),
            ('CDEF', '192.168.1.20', '192.168.1.0/24', '3 days', 'A lazy dog sleeps', '{edge}', NULL),
            ('G', '2001:db8::1', NULL, NULL, 'Quick thinking, lazy afternoon', '{}', '{80}');
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
          firmware: { type: bytea, nullable: true }
          tags: text[]
          ports: { type: "integer[]", nullable: true }
          search: { type: tsvector, nullable: true }
        permissions:
          admin:
            select: { columns: "*" }
            insert: { columns: [code, address, network, uptime, notes, firmware, tags, ports] }
            update: { columns: [code, address, network, uptime, notes, firmware, tags, ports] }
        """

    @Test("character(n), interval, inet, cidr and tsvector filter, order and write as their PostgreSQL types; a bad value is a data-exception")
    func typesOverHTTP() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute(Self.table.components(separatedBy: ";\n"))
        let schema = try ServedProject.writeSchema(in: TestScratch.directory("column-types"), tables: ["devices": Self.yaml])
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let served = try await ServedProject.start(schema: schema, database: database)
        func ask(_ query: String, _ variables: String = "{}") async throws -> String { try await served.ask(query, variables) }
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

        // Arrays: lists both ways, compared whole or by the elements they hold.
        let lists = try await ask("{ devices(order_by: {id: asc}) { tags ports } }")
        #expect(lists == #"{"data":{"devices":[{"tags":["lab","edge"],"ports":[22,443]},{"tags":["edge"],"ports":null},{"tags":[],"ports":[80]},{"tags":[],"ports":null}]}}"#, "\(lists)")
        #expect(try await codes(#"{tags: {_contains: ["edge"]}}"#) == #"{"data":{"devices":[{"code":"AB"},{"code":"CDEF"}]}}"#)
        #expect(try await codes(#"{tags: {_contained_in: ["edge", "lab"]}, ports: {_is_null: false}}"#) == #"{"data":{"devices":[{"code":"AB"},{"code":"G"}]}}"#)
        #expect(try await codes(#"{ports: {_eq: [80]}}"#) == #"{"data":{"devices":[{"code":"G"}]}}"#)
        #expect(try await ask("query($p: [Int]) { devices(where: {ports: {_contains: $p}}) { code } }", #"{"p":[443]}"#)
            == #"{"data":{"devices":[{"code":"AB"}]}}"#)
        let listed = try await ask("mutation($t: [String]!, $p: [Int]) { update_devices(where: {code: {_eq: \"G\"}}, _set: {tags: $t, ports: $p}) { returning { tags ports } } }",
                                   #"{"t":["roof","edge, \"quoted\""],"p":null}"#)
        #expect(listed == #"{"data":{"update_devices":{"returning":[{"tags":["roof","edge,\"quoted\""],"ports":null}]}}}"#, "\(listed)")
        let badPorts = try await ask(#"mutation { update_devices(where: {code: {_eq: "G"}}, _set: {ports: [1, 2]}) { affected_rows } }"#)
        #expect(badPorts == #"{"data":{"update_devices":{"affected_rows":1}}}"#, "\(badPorts)")

        // bytea: base64 both ways, on one line however long; compared whole.
        let blob = Data((0..<100).map { UInt8($0 * 7 % 256) }).base64EncodedString()
        let stored = try await ask("mutation($id: Int!, $f: bytea) { update_devices_by_pk(pk_columns: {id: $id}, _set: {firmware: $f}) { firmware } }",
                                   #"{"id":2,"f":"\#(blob)"}"#)
        #expect(stored == #"{"data":{"update_devices_by_pk":{"firmware":"\#(blob)"}}}"#, "\(stored)")
        #expect(try await ask("query($f: bytea) { devices(where: {firmware: {_eq: $f}}) { code } }", #"{"f":"\#(blob)"}"#)
            == #"{"data":{"devices":[{"code":"CDEF"}]}}"#)
        let notBase64 = try await ask("query { devices(where: {firmware: {_eq: \"not base64!\"}}) { code } }")
        #expect(notBase64.contains(#""code":"data-exception""#), "\(notBase64)")

        // A value PostgreSQL cannot read as the type: the client's error, named, never database-error.
        let bad = try await ask(#"{ devices(where: {address: {_eq: "not-an-address"}}) { code } }"#)
        #expect(bad.contains(#""code":"data-exception""#) && bad.contains("not-an-address"), "\(bad)")
        let badWrite = try await ask("mutation New($d: devices_insert_input!) { insert_devices_one(object: $d) { id } }",
                                     #"{"d":{"code":"BAD","address":"10.0.0.1","uptime":"forever"}}"#)
        #expect(badWrite.contains(#""code":"data-exception""#) && badWrite.contains("forever"), "\(badWrite)")

        #expect(try await served.stop() == 0)
    }

    @Test("enums as GraphQL enums (or scalars when their labels cannot be enum values) and domains as their base type, checks holding; strata check compares them")
    func enumsAndDomains() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.execute([
            "CREATE TYPE public.film_format AS ENUM ('digital', 'film_35mm', 'vhs')",
            "CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17')",
            "CREATE DOMAIN public.year AS integer CHECK (VALUE BETWEEN 1888 AND 2155)",
            "CREATE TABLE public.films (id serial PRIMARY KEY, title text NOT NULL, format public.film_format NOT NULL, "
                + "rating public.mpaa_rating, release_year public.year NOT NULL, releases public.film_format[] NOT NULL DEFAULT '{}', reissues public.year[])",
            "INSERT INTO public.films (title, format, rating, release_year, releases, reissues) VALUES ('Alien', 'film_35mm', 'R', 1979, '{film_35mm,vhs}', '{2003}'), "
                + "('Up', 'digital', 'PG', 2009, '{digital}', NULL), ('Big', 'vhs', 'PG-13', 1988, '{}', NULL)",
            "GRANT SELECT, INSERT, UPDATE ON public.films TO admin",
            "GRANT USAGE ON SEQUENCE public.films_id_seq TO admin",
        ])
        let settings = ServedProject.adminSettings + """

            types:
              film_format: { enum: [digital, film_35mm, vhs] }
              mpaa_rating: { enum: [G, PG, PG-13, R, NC-17], as_scalar: true }
              year: { domain: integer }
            """
        let schema = try ServedProject.writeSchema(in: TestScratch.directory("column-enums"), settings: settings, tables: ["films": """
            table: public.films
            primary_key: [id]
            columns:
              id: integer
              title: text
              format: film_format
              rating: { type: mpaa_rating, nullable: true }
              release_year: year
              releases: film_format[]
              reissues: { type: "year[]", nullable: true }
            permissions:
              admin:
                select: { columns: "*" }
                insert: { columns: [title, format, rating, release_year, releases, reissues] }
                update: { columns: [format, rating, release_year, releases, reissues] }
            """])
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let sdl = try await StrataProcess.run(["schema", "print", "--role", "admin", "--schema", schema])
        #expect(sdl.stdout.contains("enum film_format {\n  digital\n  film_35mm\n  vhs\n}"), "\(sdl.stdout)")
        #expect(sdl.stdout.contains("scalar mpaa_rating"))
        #expect(sdl.stdout.contains("format: film_format!") && sdl.stdout.contains("rating: mpaa_rating") && sdl.stdout.contains("release_year: Int!"))

        let served = try await ServedProject.start(schema: schema, database: database)
        func ask(_ query: String, _ variables: String = "{}") async throws -> String { try await served.ask(query, variables) }
        #expect(try await ask("{ films(where: {format: {_eq: film_35mm}}) { title format } }") == #"{"data":{"films":[{"title":"Alien","format":"film_35mm"}]}}"#)
        #expect(try await ask(#"query($f: [film_format!]) { films(where: {format: {_in: $f}}, order_by: {id: asc}) { title } }"#, #"{"f":["digital","vhs"]}"#)
            == #"{"data":{"films":[{"title":"Up"},{"title":"Big"}]}}"#)
        #expect(try await ask(#"{ films(where: {rating: {_in: ["PG-13", "R"]}}, order_by: {id: asc}) { title rating } }"#)
            == #"{"data":{"films":[{"title":"Alien","rating":"R"},{"title":"Big","rating":"PG-13"}]}}"#)
        #expect(try await ask("{ films(where: {release_year: {_lt: 1990}}, order_by: {release_year: asc}) { title release_year } }")
            == #"{"data":{"films":[{"title":"Alien","release_year":1979},{"title":"Big","release_year":1988}]}}"#)
        // A value outside the enum is refused by validation; outside the scalar enum or the domain, by PostgreSQL, as the client's error.
        #expect(try await ask("{ films(where: {format: {_eq: laserdisc}}) { title } }").contains(#""code":"validation-failed""#))
        let insert = "mutation New($f: films_insert_input!) { insert_films_one(object: $f) { title format rating release_year } }"
        #expect(try await ask(insert, #"{"f":{"title":"Her","format":"digital","rating":"R","release_year":2013}}"#)
            == #"{"data":{"insert_films_one":{"title":"Her","format":"digital","rating":"R","release_year":2013}}}"#)
        let badRating = try await ask(insert, #"{"f":{"title":"X","format":"vhs","rating":"PG-14","release_year":2000}}"#)
        #expect(badRating.contains(#""code":"data-exception""#) && badRating.contains("PG-14"), "\(badRating)")
        let badYear = try await ask(insert, #"{"f":{"title":"Y","format":"vhs","release_year":1700}}"#)
        #expect(badYear.contains(#""code":"check-violation""#), "\(badYear)")
        let updated = try await ask(#"mutation { update_films(where: {title: {_eq: "Up"}}, _set: {format: vhs, release_year: 2010}) { returning { format release_year } } }"#)
        #expect(updated == #"{"data":{"update_films":{"returning":[{"format":"vhs","release_year":2010}]}}}"#)
        // Arrays of an enum and of a domain: lists of the enum and of the base type, cast element by element.
        #expect(sdl.stdout.contains("releases: [film_format!]!") || sdl.stdout.contains("releases: [film_format]!"), "\(sdl.stdout)")
        #expect(try await ask("{ films(where: {releases: {_contains: [vhs]}}, order_by: {id: asc}) { title releases reissues } }")
            == #"{"data":{"films":[{"title":"Alien","releases":["film_35mm","vhs"],"reissues":[2003]}]}}"#)
        #expect(try await ask("query($r: [film_format]) { films(where: {releases: {_contained_in: $r}}, order_by: {id: asc}) { title } }", #"{"r":["vhs","digital"]}"#)
            == #"{"data":{"films":[{"title":"Up"},{"title":"Big"},{"title":"Her"}]}}"#)
        let reissued = try await ask(#"mutation { update_films(where: {title: {_eq: "Big"}}, _set: {releases: [digital, vhs], reissues: [1999, 2008]}) { returning { releases reissues } } }"#)
        #expect(reissued == #"{"data":{"update_films":{"returning":[{"releases":["digital","vhs"],"reissues":[1999,2008]}]}}}"#, "\(reissued)")
        let badReissue = try await ask(#"mutation { update_films(where: {title: {_eq: "Big"}}, _set: {reissues: [1700]}) { affected_rows } }"#)
        #expect(badReissue.contains(#""code":"check-violation""#), "\(badReissue)")
        #expect(try await served.stop() == 0)

        // The database drifting from the declaration is reported at it.
        _ = try await database.rows(PostgresQuery(unsafeSQL: "ALTER TYPE public.film_format ADD VALUE 'bluray'"))
        let drift = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("strata.yaml:8:3: enum public.film_format has the labels [digital, film_35mm, vhs, bluray] in the database, in that order, not [digital, film_35mm, vhs]"),
                "\(drift.stdout)")
    }
}
