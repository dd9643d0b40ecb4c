SELECT "pg_catalog"."json_build_object"('tasks_by_pk', (SELECT "pg_catalog"."json_build_object"('id', "b0"."id", 'title', "b0"."title") AS "__root" FROM (SELECT "t0"."id" AS "id", "t0"."title" AS "title" FROM "public"."tasks" AS "t0" WHERE (("t0"."tenant_id" = ($1)::uuid) AND ("t0"."id" = ($2)::uuid)) LIMIT 1) AS "b0"), '__typename', ($3)::json) AS "data"
-- $1 = $session.tenant_id
-- $2 = "22000000-0000-4000-8000-000000000001"
-- $3 = "\"query_root\""
