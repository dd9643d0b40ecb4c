SELECT "pg_catalog"."json_build_object"('tasks', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root" ORDER BY "r0"."__o0" ASC NULLS LAST), "pg_catalog"."json_build_array"()) AS "__root" FROM (SELECT "pg_catalog"."json_build_object"('title', "b0"."title", 'status', "b0"."status") AS "__root", "b0"."__o0" AS "__o0" FROM (SELECT "t0"."title" AS "title", "t0"."status" AS "status", "t0"."title" AS "__o0" FROM "public"."tasks" AS "t0" WHERE (("t0"."tenant_id" = ($1)::uuid) AND (("t0"."status" = ($2)::text) OR ("t0"."title" ILIKE ($3)::text))) ORDER BY "t0"."title" ASC NULLS LAST LIMIT 500) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = variable $filter._or[0].status._eq
-- $3 = variable $filter._or[1].title._ilike
