SELECT "pg_catalog"."json_build_object"('tasks', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root"), "pg_catalog"."json_build_array"()) AS "__root" FROM (SELECT "pg_catalog"."json_build_object"('title', "b0"."title", 'status', "b0"."status") AS "__root" FROM (SELECT "t0"."title" AS "title", "t0"."status" AS "status" FROM "public"."tasks" AS "t0" WHERE (("t0"."tenant_id" = ($1)::uuid) AND (NOT ("t0"."status" = ANY (($2)::text[])))) LIMIT 500) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = ["todo", "done"]
