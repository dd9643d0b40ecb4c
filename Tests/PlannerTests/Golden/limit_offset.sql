SELECT "pg_catalog"."json_build_object"('tasks', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root" ORDER BY "r0"."__o0" ASC NULLS LAST), "pg_catalog"."json_build_array"()) AS "__root" FROM (SELECT "pg_catalog"."json_build_object"('title', "b0"."title", 'created_at', "b0"."created_at") AS "__root", "b0"."__o0" AS "__o0" FROM (SELECT "t0"."title" AS "title", "t0"."created_at" AS "created_at", "t0"."created_at" AS "__o0" FROM "public"."tasks" AS "t0" WHERE ("t0"."tenant_id" = ($1)::uuid) ORDER BY "t0"."created_at" ASC NULLS LAST LIMIT ($2)::bigint OFFSET ($3)::bigint) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = "2"
-- $3 = "1"
