WITH "w0" AS (INSERT INTO "public"."users" AS "t" ("tenant_id", "email", "name") VALUES (($1)::uuid, ($2)::text, ($3)::text) ON CONFLICT ON CONSTRAINT "users_tenant_email_key" DO NOTHING RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."email" AS "email", "t"."name" AS "name", "t"."role" AS "role", "t"."created_at" AS "created_at", TRUE AS "__inserted") SELECT "pg_catalog"."json_build_object"('affected_rows', (SELECT "pg_catalog"."count"(*) FROM (SELECT 1 FROM "w0" AS "w0") AS "a0"), 'returning', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root"), "pg_catalog"."json_build_array"()) FROM (SELECT "pg_catalog"."json_build_object"('name', "b0"."name") AS "__root" FROM (SELECT "t0"."name" AS "name" FROM "w0" AS "t0" WHERE ("t0"."tenant_id" = ($1)::uuid)) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = "ada@acme.test"
-- $3 = "Ignored"

WITH "w1" AS (INSERT INTO "public"."users" AS "t" ("tenant_id", "email", "name") VALUES (($1)::uuid, ($2)::text, ($3)::text) ON CONFLICT ON CONSTRAINT "users_tenant_email_key" DO UPDATE SET "name" = "excluded"."name" WHERE (("t"."tenant_id" = ($1)::uuid) AND ("t"."role" = ($4)::text)) RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."email" AS "email", "t"."name" AS "name", "t"."role" AS "role", "t"."created_at" AS "created_at", ("t"."xmax" = 0) AS "__inserted") SELECT (SELECT "pg_catalog"."json_build_object"('name', "b1"."name") AS "__root" FROM (SELECT "t1"."name" AS "name" FROM "w1" AS "t1" WHERE ("t1"."tenant_id" = ($1)::uuid) LIMIT 1) AS "b1") AS "data"
-- $1 = $session.tenant_id
-- $2 = "kurt@acme.test"
-- $3 = "Ignored too"
-- $4 = "admin"
