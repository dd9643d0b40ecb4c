import Testing
@testable import SQL

@Suite("SQL rendering")
struct SQLRendererTests {
    @Test("identifiers are always quoted, embedded quotes doubled")
    func identifiers() {
        #expect(SQLIdentifier("tasks").rendered == #""tasks""#)
        #expect(SQLIdentifier(#"evil"; DROP TABLE x; --"#).rendered == #""evil""; DROP TABLE x; --""#)
        #expect(SQLQualifiedName(schema: "strata", "change_events").rendered == #""strata"."change_events""#)
    }

    @Test("values become numbered binds, in order")
    func binds() {
        let select = SQLSelect(
            [.init(.column(table: "t", "title"), as: "title")],
            from: .init(SQLQualifiedName(schema: "public", "tasks"), as: "t"),
            where: .binary(
                .binary(.column(table: "t", "tenant_id"), .equal, .cast(.bind(.text("a-tenant")), .uuid)),
                .and,
                .not(.isNull(.column(table: "t", "due_on")))),
            orderBy: [.init(.column(table: "t", "id"), descending: true)],
            limit: .bind(.int(10)))
        let rendered = SQLRenderer.render(select)
        #expect(rendered.text == #"SELECT "t"."title" AS "title" FROM "public"."tasks" AS "t" WHERE (("t"."tenant_id" = ($1)::uuid) AND (NOT ("t"."due_on" IS NULL))) ORDER BY "t"."id" DESC LIMIT $2"#)
        #expect(rendered.binds == [.text("a-tenant"), .int(10)])
    }

    @Test("a client's text never reaches the statement")
    func hostileValue() {
        let rendered = SQLRenderer.render(.binary(.column(table: nil, "name"), .equal, .bind(.text("'; DROP TABLE tasks; --"))))
        #expect(rendered.text == #"("name" = $1)"#)
        #expect(rendered.binds == [.text("'; DROP TABLE tasks; --")])
    }
}
