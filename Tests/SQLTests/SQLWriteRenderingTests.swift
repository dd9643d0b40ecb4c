import Testing
@testable import SQL

@Suite("SQL rendering of writes")
struct SQLWriteRenderingTests {
    let tasks = SQLQualifiedName(schema: "public", "tasks")

    @Test("an insert with defaults, an upsert and a returning list, read by the final select; values are binds")
    func insertWith() {
        let insert = SQLInsert(
            into: tasks, as: "t", columns: ["title", "status"],
            rows: [[.cast(.value(.text("Write docs")), .text), .defaultValue],
                   [.cast(.value(.text("it's; DROP TABLE tasks")), .text), .cast(.value(.text("done")), .text)]],
            onConflict: SQLOnConflict(constraint: "tasks_pkey", .update([SQLAssignment("title", .column(table: "excluded", "title"))],
                                                                       where: .isNull(.column(table: "t", "assignee_id")))),
            returning: [.init(.column(table: "t", "id"), as: "id")])
        let query = SQLWithQuery([.init("w0", .insert(insert))],
                                 SQLSelect([.init(.subquery(SQLSelect([.init(.aggregate(SQLAggregate("count", [])))],
                                                                     from: .table(SQLQualifiedName("w0"), as: "c"))), as: "data")]))
        let rendered = SQLRenderer.render(query)
        #expect(rendered.text == """
            WITH "w0" AS (INSERT INTO "public"."tasks" AS "t" ("title", "status") VALUES (($1)::text, DEFAULT), (($2)::text, ($3)::text) \
            ON CONFLICT ON CONSTRAINT "tasks_pkey" DO UPDATE SET "title" = "excluded"."title" WHERE ("t"."assignee_id" IS NULL) \
            RETURNING "t"."id" AS "id") SELECT (SELECT "pg_catalog"."count"(*) FROM "w0" AS "c") AS "data"
            """)
        #expect(rendered.binds == [.value(.text("Write docs")), .value(.text("it's; DROP TABLE tasks")), .value(.text("done"))])
    }

    @Test("an insert without columns inserts one row of defaults; do nothing on conflict")
    func defaultValues() {
        let insert = SQLInsert(into: tasks, as: "t", columns: [], rows: [[]], onConflict: SQLOnConflict(constraint: "tasks_pkey", .nothing),
                               returning: [])
        #expect(SQLRenderer.render(.insert(insert)).text == #"INSERT INTO "public"."tasks" AS "t" DEFAULT VALUES ON CONFLICT ON CONSTRAINT "tasks_pkey" DO NOTHING"#)
    }

    @Test("update and delete with filters and returning; a union of sources")
    func updateDelete() {
        let update = SQLUpdate(tasks, as: "t", set: [SQLAssignment("reward", .binary(.column(table: "t", "reward"), .equal, .cast(.parameter(0), .numeric)))],
                               where: .binary(.column(table: "t", "id"), .equal, .cast(.parameter(1), .uuid)),
                               returning: [.init(.star(table: "t"))])
        #expect(SQLRenderer.render(.update(update)).text
                == #"UPDATE "public"."tasks" AS "t" SET "reward" = ("t"."reward" = ($1)::numeric) WHERE ("t"."id" = ($2)::uuid) RETURNING "t".*"#)
        let delete = SQLDelete(from: tasks, as: "t", where: nil, returning: [])
        #expect(SQLRenderer.render(.delete(delete)).text == #"DELETE FROM "public"."tasks" AS "t""#)
        let union = SQLSelect([.init(.integer(1))], from: .unionAll([SQLSelect([.init(.column(table: "a", "id"), as: "id")], from: .table(tasks, as: "a")),
                                                                     SQLSelect([.init(.column(table: "w", "id"), as: "id")], from: .table(SQLQualifiedName("w0"), as: "w"))],
                                                                    as: "u"))
        #expect(SQLRenderer.render(union).text
                == #"SELECT 1 FROM (SELECT "a"."id" AS "id" FROM "public"."tasks" AS "a" UNION ALL SELECT "w"."id" AS "id" FROM "w0" AS "w") AS "u""#)
    }
}
