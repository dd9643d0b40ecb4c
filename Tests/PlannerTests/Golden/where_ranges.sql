SELECT "pg_catalog"."json_build_object"('tasks', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root" ORDER BY "r0"."__o0" DESC NULLS FIRST), "pg_catalog"."json_build_array"()) AS "__root" FROM (SELECT "pg_catalog"."json_build_object"('title', "b0"."title", 'reward', ("b0"."reward")::text, 'due_on', "b0"."due_on") AS "__root", "b0"."__o0" AS "__o0" FROM (SELECT "t0"."title" AS "title", "t0"."due_on" AS "due_on", "t0"."reward" AS "reward", "t0"."reward" AS "__o0" FROM "public"."tasks" AS "t0" WHERE (("t0"."tenant_id" = ($1)::uuid) AND ((("t0"."reward" > ($2)::numeric) AND ("t0"."reward" <= ($3)::numeric)) AND ("t0"."due_on" >= ($4)::date))) ORDER BY "t0"."reward" DESC NULLS FIRST LIMIT 500) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = "20"
-- $3 = "300"
-- $4 = variable $since
