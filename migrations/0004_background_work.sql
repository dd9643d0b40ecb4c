-- Background work: the role event triggers run as, and the history timeline's versions.
--
-- strata_worker: what the server assumes (SET LOCAL ROLE) to make a trigger's effect, under the
-- event's tenant. Like the API's roles it cannot bypass row-level security: it reads the rows a
-- trigger's recipients and payload come from, and writes notifications and history, in the
-- event's tenant only.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_worker') THEN
        CREATE ROLE strata_worker NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
END
$$;
GRANT strata_worker TO strata_authenticator;

GRANT USAGE ON SCHEMA public, strata TO strata_worker;
GRANT EXECUTE ON FUNCTION strata.current_tenant_id() TO strata_worker;
GRANT SELECT ON public.tenants, public.users, public.projects, public.tasks, public.comments, public.wallets,
    public.transactions, public.notifications, public.entity_history TO strata_worker;
GRANT INSERT ON public.notifications, public.entity_history TO strata_worker;

-- Each entity's changes numbered from 1, in the order they happened.
ALTER TABLE public.entity_history ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE public.entity_history ADD CONSTRAINT entity_history_version_key UNIQUE (tenant_id, entity, entity_id, version);
