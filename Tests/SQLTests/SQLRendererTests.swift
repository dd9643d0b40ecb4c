import Testing
@testable import SQL

@Suite("SQL rendering")
struct SQLRendererTests {
    let tasks = SQLQualifiedName(schema: "public", "tasks")

    @Test("identifiers are always quoted, embedded quotes doubled")
    func identifiers() {
        #expect(SQLIdentifier("tasks").rendered == #""tasks""#)
        #expect(SQLIdentifier(#"evil"; DROP TABLE x; --"#).rendered == #""evil""; DROP TABLE x; --""#)
        #expect(SQLQualifiedName(schema: "strata", "change_events").rendered == #""strata"."change_events""#)
    }

    @Test("values become numbered binds, in order; equal binds share a placeholder")
    func binds() {
        let tenant = SQLExpression.cast(.value(.text("a-tenant")), .uuid)
        let select = SQLSelect(
            [.init(.column(table: "t", "title"), as: "title")],
            from: .table(tasks, as: "t"),
            where: .and([
                .binary(.column(table: "t", "tenant_id"), .equal, tenant),
                .isNotNull(.column(table: "t", "due_on")),
                .exists(SQLSelect([.init(.integer(1))], from: .table(SQLQualifiedName(schema: "public", "projects"), as: "p"),
                                  where: .binary(.column(table: "p", "tenant_id"), .equal, tenant))),
            ]),
            orderBy: [SQLOrdering(.column(table: "t", "id"), .descending)],
            limit: .cast(.parameter(0), .bigint), offset: .integer(5))
        let rendered = SQLRenderer.render(select)
        #expect(rendered.text == #"SELECT "t"."title" AS "title" FROM "public"."tasks" AS "t" WHERE (("t"."tenant_id" = ($1)::uuid) AND ("t"."due_on" IS NOT NULL) AND EXISTS (SELECT 1 FROM "public"."projects" AS "p" WHERE ("p"."tenant_id" = ($1)::uuid))) ORDER BY "t"."id" DESC NULLS FIRST LIMIT ($2)::bigint OFFSET 5"#)
        #expect(rendered.binds == [.value(.text("a-tenant")), .parameter(0)])
    }

    @Test("a client's text never reaches the statement")
    func hostileValue() {
        let rendered = SQLRenderer.render(.binary(.column(table: nil, "name"), .equal, .value(.text("'; DROP TABLE tasks; --"))))
        #expect(rendered.text == #"("name" = $1)"#)
        #expect(rendered.binds == [.value(.text("'; DROP TABLE tasks; --"))])
    }

    @Test("names are the only string constants, and only letters, digits and underscores make one")
    func names() {
        #expect(SQLName("tasks_aggregate") != nil)
        #expect(SQLName("it's") == nil)
        #expect(SQLName("") == nil)
        #expect(SQLName("a b") == nil)
        #expect(SQLRenderer.render(.builtin("json_build_object", [.name(SQLName("id")!), .column(table: "t", "id")])).text
                == #""pg_catalog"."json_build_object"('id', "t"."id")"#)
    }

    @Test("distinct on, lateral joins, ordered aggregates with filters, quantified comparisons and CASE")
    func shapes() {
        let inner = SQLSelect([.init(.column(table: "c", "body"), as: "__root")], from: .table(SQLQualifiedName(schema: "public", "comments"), as: "c"),
                              where: .binary(.column(table: "c", "task_id"), .equal, .column(table: "b", "id")))
        let select = SQLSelect(
            distinctOn: [.column(table: "b", "status")],
            [
                .init(.aggregate(SQLAggregate("json_agg", [.column(table: "j", "__root")],
                                              orderBy: [SQLOrdering(.column(table: "b", "status"), .ascending, nulls: .first)]))),
                .init(.aggregate(SQLAggregate("count", [.row([.column(table: "b", "a"), .column(table: "b", "c")])], distinct: true,
                                              filter: .isNotNull(.column(table: "b", "a"))))),
                .init(.aggregate(SQLAggregate("count", []))),
                .init(.caseWhen([SQLWhen(.boolean(true), then: .integer(1))], else: .null)),
            ],
            from: .subquery(SQLSelect([.init(.star(table: "t"))], from: .table(tasks, as: "t")), as: "b"),
            joins: [SQLJoin(leftLateral: .subquery(inner, as: "j"))],
            where: .or([.quantified(.column(table: "b", "id"), .equal, .any, .cast(.array([.value(.text("x"))]), SQLType.uuid.array)),
                        .or([])]))
        #expect(SQLRenderer.render(select).text == """
            SELECT DISTINCT ON ("b"."status") "pg_catalog"."json_agg"("j"."__root" ORDER BY "b"."status" ASC NULLS FIRST), \
            "pg_catalog"."count"(DISTINCT ROW("b"."a", "b"."c")) FILTER (WHERE ("b"."a" IS NOT NULL)), "pg_catalog"."count"(*), \
            CASE WHEN TRUE THEN 1 ELSE NULL END \
            FROM (SELECT "t".* FROM "public"."tasks" AS "t") AS "b" \
            LEFT JOIN LATERAL (SELECT "c"."body" AS "__root" FROM "public"."comments" AS "c" WHERE ("c"."task_id" = "b"."id")) AS "j" ON TRUE \
            WHERE (("b"."id" = ANY ((ARRAY[$1])::uuid[])) OR FALSE)
            """)
    }
}
