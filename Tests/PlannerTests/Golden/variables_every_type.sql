SELECT "pg_catalog"."json_build_object"('tasks', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root" ORDER BY "r0"."__o0" DESC NULLS FIRST), "pg_catalog"."json_build_array"()) AS "__root" FROM (SELECT "pg_catalog"."json_build_object"('title', "b0"."title", 'is_overdue', "b0"."__cf_is_overdue") AS "__root", "b0"."__o0" AS "__o0" FROM (SELECT "t0"."title" AS "title", "t0"."title" AS "__o0", "public"."task_is_overdue"("t0".*) AS "__cf_is_overdue" FROM "public"."tasks" AS "t0" WHERE (("t0"."tenant_id" = ($1)::uuid) AND (("t0"."id" = ($2)::uuid) AND ("t0"."title" = ($3)::text) AND ("t0"."estimate_hours" = ($4)::numeric) AND ("t0"."reward" >= ($5)::numeric) AND ("t0"."due_on" = ($6)::date) AND ("t0"."created_at" > ($7)::timestamptz))) ORDER BY "t0"."title" DESC NULLS FIRST LIMIT CASE WHEN (($8)::bigint < 500) THEN ($8)::bigint ELSE 500 END) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = variable $id
-- $3 = variable $title
-- $4 = variable $hours
-- $5 = variable $reward
-- $6 = variable $due
-- $7 = variable $after
-- $8 = variable $limit
