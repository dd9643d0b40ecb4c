-- Hold expiry as a schedule: the scheduler lists the tenants (as strata_worker, which this
-- policy lets see every tenant's id and name, and nothing else of theirs) and, per tenant, calls
-- expire_next_hold until it answers false. Each expiry emits the domain event
-- money.hold.expired, which a trigger turns into a notification for the wallet's owner.

CREATE POLICY worker_lists_tenants ON public.tenants FOR SELECT TO strata_worker USING (true);

CREATE OR REPLACE FUNCTION public.expire_next_hold(schedule jsonb DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    hold public.transactions;
    owner uuid;
BEGIN
    SELECT * INTO hold FROM public.transactions t
    WHERE t.tenant_id = strata.current_tenant_id() AND t.status = 'held' AND t.hold_expires_at <= now()
    ORDER BY t.hold_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    hold := public.settle_hold(hold, 'expired');
    SELECT w.user_id INTO owner FROM public.wallets w WHERE w.id = hold.wallet_id;
    PERFORM strata.emit('money.hold.expired', jsonb_build_object(
        'transaction_id', hold.id, 'wallet_id', hold.wallet_id, 'user_id', owner, 'amount', hold.amount,
        'task_id', hold.task_id, 'expired_at', hold.settled_at));
    RETURN true;
END
$$;

-- The owner of an expired hold's wallet hears of it: a trigger on money.hold.expired calls this
-- with the event, as strata_worker under the event's tenant.
CREATE FUNCTION public.notify_hold_expired(event jsonb) RETURNS void
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $$
        INSERT INTO public.notifications (tenant_id, user_id, kind, payload, idempotency_key)
        VALUES ((event ->> 'tenant_id')::uuid, (event -> 'new' ->> 'user_id')::uuid, 'hold_expired', event -> 'new',
                'money.hold.expired:' || (event ->> 'id'))
        ON CONFLICT ON CONSTRAINT notifications_idempotency_key_key DO NOTHING
    $$;
REVOKE ALL ON FUNCTION public.notify_hold_expired(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.notify_hold_expired(jsonb) TO strata_worker;
