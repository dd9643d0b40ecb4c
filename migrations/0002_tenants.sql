-- Tenants: the unit of isolation. A session sees only the tenant named by the
-- transaction's app.tenant_id setting; with no setting it sees nothing.
CREATE TABLE public.tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE public.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.tenants FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON public.tenants
    USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT USAGE ON SCHEMA public TO anonymous, member, admin;
GRANT SELECT ON public.tenants TO member, admin;
GRANT UPDATE (name) ON public.tenants TO admin;
