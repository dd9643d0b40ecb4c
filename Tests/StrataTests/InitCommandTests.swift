import Foundation
import PostgresNIO
import SchemaModel
import Testing
import TestSupport

@Suite("strata init")
struct InitCommandTests {
    @Test("on the demo database: a project that passes strata check, with the hand-written relationships, and that serves; a second run keeps every file")
    func describesTheDemo() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let project = try TestScratch.directory("init-demo")
        let first = try await StrataProcess.run(["init", "--database-url", database.url(), "--dir", project])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("10 file(s) written, 0 updated, for 9 table(s) and view(s)"), "\(first.stdout)")
        let schema = project + "/schema"
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("OK: 9 tables match the database."))

        // Every relationship written by hand is generated, under the same name but one.
        let generated = try SchemaProject.load(directory: schema, environment: [:])
        let written = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        for table in written.tables {
            let mine = try #require(generated.table(named: table.name), "\(table.name) is generated")
            #expect(mine.primaryKey == table.primaryKey && mine.tenantColumn == table.tenantColumn || table.name == "tenants", "\(table.name)")
            #expect(Set(mine.columns.map(\.name)) == Set(table.columns.map(\.name)), "\(table.name)")
            for relationship in table.relationships {
                let match = mine.relationships.first {
                    $0.kind == relationship.kind && $0.target == relationship.target
                        && $0.columnMapping.elementsEqual(relationship.columnMapping) { $0 == $1 }
                }
                #expect(match != nil, "\(table.name).\(relationship.name) is generated")
                let expectedName = relationship.name == "assigned_tasks" ? "tasks" : relationship.name
                #expect(match?.name == expectedName, "\(table.name).\(relationship.name)")
            }
            for field in table.computedFields {
                #expect(mine.computedFields.contains { $0.name == field.name && $0.function == field.function }, "\(table.name).\(field.name)")
            }
        }

        // It serves: admin reads a task with its project through the generated relationship.
        let served = try await ServedProject.start(schema: schema, database: database, tenant: DemoTenants.acme)
        let answer = try await served.ask("{ tasks(limit: 1, order_by: {title: asc}) { title project { name } is_overdue } }")
        #expect(answer.contains(#""project":{"name""#) && !answer.contains("errors"), "\(answer)")
        #expect(try await served.stop() == 0)

        let second = try await StrataProcess.run(["init", "--database-url", database.url(), "--dir", project])
        #expect(second.status == 0)
        #expect(second.stdout.contains("0 file(s) written, 0 updated"), "\(second.stdout)")
        #expect(second.stdout.contains("unchanged \(schema)/tables/tasks.yaml"))
    }

    @Test("without a database URL it says what it needs")
    func needsDatabase() async throws {
        let result = try await StrataProcess.run(["init", "--dir", try TestScratch.directory("init-none")], environment: ["DATABASE_URL": ""])
        #expect(result.status == 2 || result.status == 1)
        #expect(result.stderr.contains("strata init needs the database: --database-url"), "\(result.stderr)")
    }

    /// A schema nothing like the demo: text and composite keys, a self reference, a many-to-many
    /// link table, two foreign keys to one table, a composite foreign key, a view, columns named
    /// like GraphQL keywords, names GraphQL cannot take, an enum, a domain and an array.
    static let library = """
        CREATE SCHEMA library;
        CREATE TYPE library.format AS ENUM ('hardcover', 'paperback', 'ebook');
        CREATE DOMAIN library.page_count AS integer CHECK (VALUE > 0);
        CREATE TABLE library.publishers (code text PRIMARY KEY, name text NOT NULL, type text, query text, "__secret" text);
        CREATE TABLE library.authors (id serial PRIMARY KEY, name text NOT NULL, mentor_id integer REFERENCES library.authors (id));
        CREATE TABLE library.books (
            isbn text PRIMARY KEY, title text NOT NULL, publisher_code text NOT NULL REFERENCES library.publishers (code),
            format library.format NOT NULL, tags text[], pages library.page_count);
        COMMENT ON TABLE library.books IS 'A book, by its "ISBN"';
        COMMENT ON COLUMN library.books.title IS 'The title: as printed';
        CREATE TABLE library.book_authors (
            isbn text REFERENCES library.books (isbn), author_id integer REFERENCES library.authors (id), position integer NOT NULL,
            PRIMARY KEY (isbn, author_id));
        CREATE TABLE library.editions (isbn text REFERENCES library.books (isbn), number integer, published_on date, formats library.format[],
                                       PRIMARY KEY (isbn, number));
        CREATE TABLE library.edition_reviews (
            id bigserial PRIMARY KEY, isbn text NOT NULL, number integer NOT NULL, stars integer NOT NULL,
            FOREIGN KEY (isbn, number) REFERENCES library.editions (isbn, number));
        CREATE TABLE library.loans (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), isbn text NOT NULL REFERENCES library.books (isbn),
            lender_id integer NOT NULL REFERENCES library.authors (id), borrower_id integer NOT NULL REFERENCES library.authors (id));
        CREATE VIEW library.book_titles AS SELECT isbn AS id, title FROM library.books;
        CREATE TABLE library."Weird-Name" (id integer PRIMARY KEY, "Book ISBN" text REFERENCES library.books (isbn), "2nd Title" text);
        CREATE FUNCTION library.book_title_length(b library.books) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT length(b.title) $$;
        INSERT INTO library.publishers VALUES ('ORB', 'Orbit', 'imprint', 'none', 'hidden');
        INSERT INTO library.authors (id, name, mentor_id) VALUES (1, 'Ursula', NULL), (2, 'Iain', 1);
        INSERT INTO library.books VALUES ('9780000000001', 'The Dispossessed', 'ORB', 'paperback', '{sf}', 387);
        INSERT INTO library.book_authors VALUES ('9780000000001', 1, 1), ('9780000000001', 2, 2);
        INSERT INTO library.editions VALUES ('9780000000001', 1, '1974-05-01', '{hardcover,ebook}');
        INSERT INTO library.edition_reviews (isbn, number, stars) VALUES ('9780000000001', 1, 5);
        INSERT INTO library.loans (isbn, lender_id, borrower_id) VALUES ('9780000000001', 1, 2);
        INSERT INTO library."Weird-Name" VALUES (7, '9780000000001', 'Second');
        GRANT USAGE ON SCHEMA library TO admin;
        GRANT SELECT ON ALL TABLES IN SCHEMA library TO admin;
        """

    @Test("on a schema nothing like the demo: keys, link tables, self references and views become a project that passes strata check and serves")
    func describesAnotherSchema() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        for statement in Self.library.components(separatedBy: ";\n").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
        let project = try TestScratch.directory("init-library")
        let schema = project + "/schema"
        let result = try await StrataProcess.run(["init", "--database-url", database.url(), "--schema", "library", "--dir", project])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for note in [
            "10 file(s) written, 0 updated, for 9 table(s) and view(s)",
        ] {
            #expect(result.stdout.contains(note), "\(note)\n\(result.stdout)")
        }
        let check = try await StrataProcess.run(["check", "--database-url", database.url(), "--schema", schema])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        // The enum and the domain are declared, and the columns use them.
        let settings = try String(contentsOfFile: schema + "/strata.yaml", encoding: .utf8)
        #expect(settings.contains("types:\n  library.format: { enum: [hardcover, paperback, ebook] }\n  library.page_count: { domain: integer }"), "\(settings)")

        // Names GraphQL cannot take are mapped, and the YAML says to what.
        let weird = try String(contentsOfFile: schema + "/tables/weird_name.yaml", encoding: .utf8)
        for line in [#"table: "library.\"Weird-Name\"""#, "name: weird_name", "  book_isbn:\n    column: \"Book ISBN\"\n    type: text",
                     "  _2nd_title:\n    column: \"2nd Title\"", "    object: books\n    columns: { book_isbn: isbn }"] {
            #expect(weird.contains(line), "\(line) in\n\(weird)")
        }
        let editions = try String(contentsOfFile: schema + "/tables/editions.yaml", encoding: .utf8)
        #expect(editions.contains("  formats:\n    type: library.format[]\n    nullable: true"), "\(editions)")
        let publishers = try String(contentsOfFile: schema + "/tables/publishers.yaml", encoding: .utf8)
        #expect(publishers.contains("  secret:\n    column: \"__secret\""), "\(publishers)")
        let generated = try SchemaProject.load(directory: schema, environment: [:])
        #expect(generated.table(named: "books")?.columns.map { "\($0.name) \($0.type.sqlName)" }
            == ["isbn text", "title text", "publisher_code text", "format library.format", "tags text[]", "pages library.page_count"])
        func relationships(_ table: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: (generated.table(named: table)?.relationships ?? []).map {
                ($0.name, "\($0.kind.rawValue) \($0.target) " + $0.columnMapping.map { "\($0.source)=\($0.target)" }.joined(separator: ","))
            })
        }
        #expect(relationships("authors") == ["mentor": "object authors mentor_id=id", "authors": "array authors id=mentor_id",
                                             "book_authors": "array book_authors id=author_id",
                                             "loans_by_lender_id": "array loans id=lender_id", "loans_by_borrower_id": "array loans id=borrower_id"])
        #expect(relationships("book_authors") == ["book": "object books isbn=isbn", "author": "object authors author_id=id"])
        #expect(relationships("edition_reviews") == ["edition": "object editions isbn=isbn,number=number"])
        #expect(generated.table(named: "book_titles")?.primaryKey == ["id"])
        #expect(generated.table(named: "books")?.description == "A book, by its \"ISBN\"")
        #expect(generated.table(named: "books")?.computedFields.map(\.name) == ["title_length"])

        let served = try await ServedProject.start(schema: schema, database: database)
        let query = "{ books { title title_length publisher { name type query } book_authors(order_by: {position: asc}) { author { name mentor { name } } } "
            + "editions { formats edition_reviews { stars } } } authors(order_by: {id: asc}) { name loans_by_lender_id { isbn } } book_titles { id title } "
            + "long_books: books(where: {title_length: {_gt: 10}}, order_by: {title_length: desc}) { isbn } short_books: books(where: {title_length: {_lt: 10}}) { isbn } "
            + "weird_name(where: {_2nd_title: {_eq: \"Second\"}}) { book_isbn book { weird_name { id } } } publishers { secret } }"
        let answer = try await served.ask(query).replacingOccurrences(of: "\n", with: "")
        #expect(answer.hasPrefix(#"{"data":"#), "\(answer)")
        for fragment in [#""title_length":16"#, #""type":"imprint""#, #""mentor":{"name":"Ursula"}"#, #""stars":5"#, #""formats":["hardcover","ebook"]"#,
                         #""loans_by_lender_id":[{"isbn":"9780000000001"}]"#, #""book_titles":[{"id":"9780000000001""#,
                         #""long_books":[{"isbn":"9780000000001"}]"#, #""short_books":[]"#,
                         #""weird_name":[{"book_isbn":"9780000000001","book":{"weird_name":[{"id":7}]}}]"#, #""publishers":[{"secret":"hidden"}]"#] {
            #expect(answer.contains(fragment), "\(fragment) in \(answer)")
        }
        #expect(try await served.stop() == 0)
    }

    @Test("run again on a changed database: the catalog's parts are updated, what the author wrote is kept, and a third run changes nothing")
    func keepsTheAuthorsEdits() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        func run(_ sql: String) async throws {
            for statement in sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
            }
        }
        try await run("""
            CREATE SCHEMA shop;
            CREATE TABLE shop.customers (id serial PRIMARY KEY, name text NOT NULL);
            CREATE TABLE shop.orders (id serial PRIMARY KEY, customer_id integer NOT NULL REFERENCES shop.customers, placed_at timestamptz NOT NULL,
                                      total numeric(10,2) NOT NULL)
            """)
        let project = try TestScratch.directory("init-again")
        let schema = project + "/schema"
        _ = try await StrataProcess.run(["init", "--database-url", database.url(), "--schema", "shop", "--dir", project])
        let orders = schema + "/tables/orders.yaml"
        // The author renames a relationship, describes a column, and gives a role its permission.
        var text = try String(contentsOfFile: orders, encoding: .utf8)
        text = text.replacingOccurrences(of: "  customer:\n    object: customers", with: "  buyer:\n    object: customers")
            .replacingOccurrences(of: "  total: numeric(10,2)\n", with: "  total:\n    type: numeric(10,2)\n    description: Including tax.\n")
            .replacingOccurrences(of: "      aggregates: true\n", with: "      aggregates: true\n  # The shop's staff.\n  staff:\n    select:\n      columns: [id, total]\n")
        try text.write(toFile: orders, atomically: true, encoding: .utf8)
        let settings = try String(contentsOfFile: schema + "/strata.yaml", encoding: .utf8).replacingOccurrences(of: "  admin: {}\n", with: "  admin: {}\n  staff: {}\n")
        try settings.write(toFile: schema + "/strata.yaml", atomically: true, encoding: .utf8)

        try await run("""
            ALTER TABLE shop.orders ADD COLUMN note text;
            ALTER TABLE shop.orders ADD COLUMN "Gift Note" text;
            ALTER TABLE shop.orders DROP COLUMN placed_at;
            CREATE TABLE shop.order_lines (order_id integer REFERENCES shop.orders, line integer, item text NOT NULL, PRIMARY KEY (order_id, line));
            CREATE FUNCTION shop.order_line_count(o shop.orders) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM shop.order_lines WHERE order_id = o.id $$
            """)
        let second = try await StrataProcess.run(["init", "--database-url", database.url(), "--schema", "shop", "--dir", project])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("updated \(orders): column note added; column gift_note added; column placed_at removed; relationship order_lines added; computed field line_count added"),
                "\(second.stdout)")
        #expect(second.stdout.contains("wrote \(schema)/tables/order_lines.yaml"))
        #expect(second.stdout.contains("unchanged \(schema)/tables/customers.yaml"))
        let merged = try String(contentsOfFile: orders, encoding: .utf8)
        for kept in ["  buyer:\n    object: customers\n    columns: { customer_id: id }", "    description: \"Including tax.\"",
                     "  # The shop's staff.\n  staff:\n    select:\n      columns: [id, total]", "  note:\n    type: text\n    nullable: true", "  gift_note:\n    column: \"Gift Note\"\n    type: text",
                     "  order_lines:\n    array: order_lines\n    columns: { id: order_id }", "  line_count:\n    function: shop.order_line_count"] {
            #expect(merged.contains(kept), "\(kept)\n--- in ---\n\(merged)")
        }
        #expect(!merged.contains("placed_at:") && !merged.contains("  customer:\n"), "\(merged)")
        let project2 = try SchemaProject.load(directory: schema, environment: [:])
        #expect(project2.table(named: "orders")?.columns.map(\.name) == ["id", "customer_id", "total", "note", "gift_note"])

        // The author renames the mapped column; a third run keeps the name and changes nothing.
        let renamed = merged.replacingOccurrences(of: "  gift_note:\n", with: "  gift_message:\n")
        try renamed.write(toFile: orders, atomically: true, encoding: .utf8)
        let third = try await StrataProcess.run(["init", "--database-url", database.url(), "--schema", "shop", "--dir", project])
        #expect(third.stdout.contains("0 file(s) written, 0 updated"), "\(third.stdout)")
        #expect(try String(contentsOfFile: orders, encoding: .utf8) == renamed)
    }
}
