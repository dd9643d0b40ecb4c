-- The demo domain: a multi-tenant task platform with money. Every table carries tenant_id and
-- sits behind forced row-level security keyed by the transaction's app.tenant_id setting, so a
-- session without a tenant sees nothing and one tenant never sees another's rows.

-- The tenant a session belongs to, or NULL when none is set.
CREATE FUNCTION strata.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE public.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    email text NOT NULL CHECK (position('@' IN email) > 1),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email)
);

CREATE TABLE public.projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text,
    owner_id uuid REFERENCES public.users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    project_id uuid NOT NULL REFERENCES public.projects (id),
    assignee_id uuid REFERENCES public.users (id),
    title text NOT NULL CHECK (length(btrim(title)) > 0),
    status text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
    due_on date,
    estimate_hours numeric(6, 2) CHECK (estimate_hours >= 0),
    reward numeric(14, 2) NOT NULL DEFAULT 0 CHECK (reward >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.comments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    task_id uuid NOT NULL REFERENCES public.tasks (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES public.users (id),
    body text NOT NULL CHECK (length(btrim(body)) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Money: what a user can spend (available) and what is held for pending work (frozen).
-- Neither may go negative; holds move money from one to the other.
CREATE TABLE public.wallets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    user_id uuid NOT NULL REFERENCES public.users (id),
    currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    available numeric(14, 2) NOT NULL DEFAULT 0 CHECK (available >= 0),
    frozen numeric(14, 2) NOT NULL DEFAULT 0 CHECK (frozen >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT wallets_user_currency_key UNIQUE (user_id, currency)
);

-- A hold and its outcome: held until confirmed, released, or expired after hold_expires_at.
CREATE TABLE public.transactions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    wallet_id uuid NOT NULL REFERENCES public.wallets (id),
    task_id uuid REFERENCES public.tasks (id),
    amount numeric(14, 2) NOT NULL CHECK (amount > 0),
    status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'confirmed', 'released', 'expired')),
    hold_expires_at timestamptz NOT NULL,
    memo text,
    created_at timestamptz NOT NULL DEFAULT now(),
    settled_at timestamptz,
    CHECK ((status = 'held') = (settled_at IS NULL))
);

CREATE TABLE public.notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    user_id uuid NOT NULL REFERENCES public.users (id),
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    -- The same event handled twice yields the same key, so a retry cannot notify twice.
    idempotency_key text NOT NULL,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_idempotency_key_key UNIQUE (tenant_id, idempotency_key)
);

-- One row per change of any entity: an audit timeline.
CREATE TABLE public.entity_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES public.tenants (id),
    entity text NOT NULL,
    entity_id text NOT NULL,
    operation text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    actor_id uuid,
    before jsonb,
    after jsonb,
    change_event_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entity_history_change_event_key UNIQUE (tenant_id, change_event_id)
);

CREATE INDEX ON public.users (tenant_id);
CREATE INDEX ON public.projects (tenant_id);
CREATE INDEX ON public.tasks (tenant_id, project_id);
CREATE INDEX ON public.tasks (assignee_id);
CREATE INDEX ON public.comments (task_id);
CREATE INDEX ON public.transactions (wallet_id);
CREATE INDEX ON public.transactions (hold_expires_at) WHERE status = 'held';
CREATE INDEX ON public.notifications (user_id, created_at);
CREATE INDEX ON public.entity_history (tenant_id, entity, entity_id);

-- Whether a task is past its due date and not done: a computed field of tasks.
CREATE FUNCTION public.task_is_overdue(task public.tasks) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT task.status <> 'done' AND task.due_on < current_date $$;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['users', 'projects', 'tasks', 'comments', 'wallets', 'transactions',
                                'notifications', 'entity_history'] LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY tenant_isolation ON public.%I '
                       'USING (tenant_id = strata.current_tenant_id()) '
                       'WITH CHECK (tenant_id = strata.current_tenant_id())', name);
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA strata TO anonymous, member, admin;
GRANT EXECUTE ON FUNCTION strata.current_tenant_id() TO anonymous, member, admin;
GRANT EXECUTE ON FUNCTION public.task_is_overdue(public.tasks) TO member, admin;

GRANT SELECT (id, tenant_id, name) ON public.projects TO anonymous;
GRANT SELECT ON public.users, public.projects, public.tasks, public.comments, public.wallets,
    public.transactions, public.notifications, public.entity_history TO member, admin;
GRANT INSERT, UPDATE ON public.tasks, public.comments TO member;
GRANT UPDATE (read_at) ON public.notifications TO member;
GRANT DELETE ON public.comments TO member;
GRANT INSERT, UPDATE, DELETE ON public.users, public.projects, public.tasks, public.comments,
    public.notifications TO admin;
GRANT INSERT, UPDATE ON public.wallets, public.transactions TO admin;
