WITH "w0" AS (INSERT INTO "public"."users" AS "t" ("tenant_id", "email", "name", "role") VALUES (($1)::uuid, ($2)::text, ($3)::text, ($4)::text), (($1)::uuid, ($5)::text, ($6)::text, DEFAULT) ON CONFLICT ON CONSTRAINT "users_tenant_email_key" DO UPDATE SET "name" = "excluded"."name" WHERE ("t"."tenant_id" = ($1)::uuid) RETURNING "t"."id" AS "id", "t"."tenant_id" AS "tenant_id", "t"."email" AS "email", "t"."name" AS "name", "t"."role" AS "role", "t"."created_at" AS "created_at", ("t"."xmax" = 0) AS "__inserted") SELECT "pg_catalog"."json_build_object"('affected_rows', (SELECT "pg_catalog"."count"(*) FROM (SELECT 1 FROM "w0" AS "w0") AS "a0"), 'returning', (SELECT COALESCE("pg_catalog"."json_agg"("r0"."__root"), "pg_catalog"."json_build_array"()) FROM (SELECT "pg_catalog"."json_build_object"('email', "b0"."email", 'name', "b0"."name", 'role', "b0"."role") AS "__root" FROM (SELECT "t0"."email" AS "email", "t0"."name" AS "name", "t0"."role" AS "role" FROM "w0" AS "t0" WHERE ("t0"."tenant_id" = ($1)::uuid)) AS "b0") AS "r0")) AS "data"
-- $1 = $session.tenant_id
-- $2 = "alan@acme.test"
-- $3 = "Alan M. Turing"
-- $4 = "admin"
-- $5 = "grace@acme.test"
-- $6 = "Grace Hopper"
