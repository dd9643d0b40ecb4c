WITH "w0" AS (UPDATE "public"."tasks" AS "t" SET "title" = ($1)::text WHERE (("t"."tenant_id" = ($2)::uuid) AND (("t"."assignee_id" = ($3)::uuid) OR ("t"."assignee_id" IS NULL)) AND ("t"."id" = ($4)::uuid)) RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."project_id" AS "project_id", "t"."assignee_id" AS "assignee_id", "t"."title" AS "title", "t"."status" AS "status", "t"."due_on" AS "due_on", "t"."estimate_hours" AS "estimate_hours", "t"."reward" AS "reward", "t"."created_at" AS "created_at", "t"."updated_at" AS "updated_at") SELECT (SELECT "pg_catalog"."json_build_object"('id', "b0"."id", 'title', "b0"."title") AS "__root" FROM (SELECT "t0"."id" AS "id", "t0"."title" AS "title" FROM "w0" AS "t0" WHERE ("t0"."tenant_id" = ($2)::uuid) LIMIT 1) AS "b0") AS "data"
-- $1 = "Mine now"
-- $2 = $session.tenant_id
-- $3 = $session.user_id
-- $4 = "22000000-0000-4000-8000-000000000002"

WITH "w1" AS (UPDATE "public"."tasks" AS "t" SET "title" = ($1)::text WHERE (("t"."tenant_id" = ($2)::uuid) AND (("t"."assignee_id" = ($3)::uuid) OR ("t"."assignee_id" IS NULL)) AND ("t"."id" = ($4)::uuid)) RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."project_id" AS "project_id", "t"."assignee_id" AS "assignee_id", "t"."title" AS "title", "t"."status" AS "status", "t"."due_on" AS "due_on", "t"."estimate_hours" AS "estimate_hours", "t"."reward" AS "reward", "t"."created_at" AS "created_at", "t"."updated_at" AS "updated_at") SELECT "pg_catalog"."json_build_object"('affected_rows', (SELECT "pg_catalog"."count"(*) FROM (SELECT 1 FROM "w1" AS "w1") AS "a0")) AS "data"
-- $1 = "Mine now"
-- $2 = $session.tenant_id
-- $3 = $session.user_id
-- $4 = "22000000-0000-4000-8000-000000000002"

WITH "w2" AS (DELETE FROM "public"."comments" AS "t" WHERE (("t"."tenant_id" = ($1)::uuid) AND ("t"."author_id" = ($2)::uuid) AND ("t"."id" = ($3)::uuid)) RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."task_id" AS "task_id", "t"."author_id" AS "author_id", "t"."body" AS "body", "t"."created_at" AS "created_at") SELECT "pg_catalog"."json_build_object"('affected_rows', (SELECT "pg_catalog"."count"(*) FROM (SELECT 1 FROM "w2" AS "w2") AS "a1")) AS "data"
-- $1 = $session.tenant_id
-- $2 = $session.user_id
-- $3 = "23000000-0000-4000-8000-000000000002"
