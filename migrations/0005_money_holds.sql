-- Money holds, the two-phase pattern: hold_money moves an amount of a wallet from available to
-- frozen and records a 'held' transaction; confirm_hold takes the frozen money out for good
-- ('confirmed'); release_hold returns it to available ('released'); expire_next_hold does the
-- same for one hold past its hold_expires_at ('expired'). Each runs in one transaction with the
-- wallet and the hold locked, so per wallet available + frozen + the confirmed amounts never
-- change and a hold is settled exactly once. A refusal is raised with a message for the client
-- and a HINT naming its reason (insufficient-funds, hold-not-held, …).
--
-- They run with their owner's rights (members may not update wallets themselves) and so filter
-- by the session's tenant and user explicitly: a member holds only their own wallet's money,
-- an admin any wallet of the tenant.

CREATE FUNCTION public.may_use_wallet(wallet public.wallets) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT wallet.tenant_id = strata.current_tenant_id()
           AND (current_setting('role') = 'admin' OR wallet.user_id::text = current_setting('app.user_id', true))
    $$;

CREATE FUNCTION public.hold_money(wallet_id uuid, amount numeric, ttl_seconds integer DEFAULT 900, task_id uuid DEFAULT NULL,
                                  memo text DEFAULT NULL)
    RETURNS SETOF public.transactions
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    wallet public.wallets;
    hold public.transactions;
BEGIN
    IF amount IS NULL OR amount <= 0 THEN
        RAISE EXCEPTION 'The amount to hold must be more than 0, not %.', coalesce(amount::text, 'null') USING HINT = 'invalid-amount';
    END IF;
    IF ttl_seconds IS NULL OR ttl_seconds NOT BETWEEN 1 AND 2592000 THEN
        RAISE EXCEPTION 'A hold lasts from 1 second to 30 days, not % seconds.', coalesce(ttl_seconds::text, 'null') USING HINT = 'invalid-ttl';
    END IF;
    SELECT * INTO wallet FROM public.wallets w WHERE w.id = hold_money.wallet_id FOR UPDATE;
    IF NOT FOUND OR NOT public.may_use_wallet(wallet) THEN
        RAISE EXCEPTION 'There is no wallet % of yours.', wallet_id USING HINT = 'wallet-not-found';
    END IF;
    IF wallet.available < amount THEN
        RAISE EXCEPTION 'The wallet has % % available; % cannot be held.', wallet.available, wallet.currency, amount
            USING HINT = 'insufficient-funds';
    END IF;
    UPDATE public.wallets SET available = available - amount, frozen = frozen + amount, updated_at = now() WHERE id = wallet.id;
    INSERT INTO public.transactions (tenant_id, wallet_id, task_id, amount, status, hold_expires_at, memo)
    VALUES (wallet.tenant_id, wallet.id, hold_money.task_id, amount, 'held', now() + make_interval(secs => ttl_seconds), hold_money.memo)
    RETURNING * INTO hold;
    RETURN NEXT hold;
END
$$;

-- Settles a held hold: 'confirmed' takes the frozen money out of the wallet, 'released' and
-- 'expired' return it to available.
CREATE FUNCTION public.settle_hold(hold public.transactions, outcome text) RETURNS public.transactions
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    settled public.transactions;
BEGIN
    UPDATE public.wallets
    SET frozen = frozen - hold.amount,
        available = available + CASE WHEN outcome = 'confirmed' THEN 0 ELSE hold.amount END,
        updated_at = now()
    WHERE id = hold.wallet_id;
    UPDATE public.transactions SET status = outcome, settled_at = now() WHERE id = hold.id RETURNING * INTO settled;
    RETURN settled;
END
$$;

-- The hold, locked, when the session may settle it; a refusal otherwise.
CREATE FUNCTION public.held_hold(hold_id uuid) RETURNS public.transactions
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    hold public.transactions;
    wallet public.wallets;
BEGIN
    SELECT * INTO hold FROM public.transactions t WHERE t.id = hold_id FOR UPDATE;
    IF FOUND THEN
        SELECT * INTO wallet FROM public.wallets w WHERE w.id = hold.wallet_id;
    END IF;
    IF NOT FOUND OR NOT public.may_use_wallet(wallet) THEN
        RAISE EXCEPTION 'There is no hold % on a wallet of yours.', hold_id USING HINT = 'hold-not-found';
    END IF;
    IF hold.status <> 'held' THEN
        RAISE EXCEPTION 'The hold is already %; only a held hold can be settled.', hold.status USING HINT = 'hold-not-held';
    END IF;
    RETURN hold;
END
$$;

CREATE FUNCTION public.confirm_hold(hold_id uuid) RETURNS SETOF public.transactions
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    hold public.transactions := public.held_hold(hold_id);
BEGIN
    IF hold.hold_expires_at <= now() THEN
        RAISE EXCEPTION 'The hold expired at %; it can no longer be confirmed.', hold.hold_expires_at USING HINT = 'hold-expired';
    END IF;
    RETURN NEXT public.settle_hold(hold, 'confirmed');
END
$$;

CREATE FUNCTION public.release_hold(hold_id uuid) RETURNS SETOF public.transactions
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN NEXT public.settle_hold(public.held_hold(hold_id), 'released');
END
$$;

-- Expires one hold of the session's tenant past its time, skipping holds another transaction
-- has locked; whether there was one. The scheduler calls it until it answers false, each call in
-- a transaction of its own.
CREATE FUNCTION public.expire_next_hold(schedule jsonb DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    hold public.transactions;
BEGIN
    SELECT * INTO hold FROM public.transactions t
    WHERE t.tenant_id = strata.current_tenant_id() AND t.status = 'held' AND t.hold_expires_at <= now()
    ORDER BY t.hold_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    hold := public.settle_hold(hold, 'expired');
    RETURN true;
END
$$;

REVOKE ALL ON FUNCTION public.hold_money(uuid, numeric, integer, uuid, text), public.confirm_hold(uuid), public.release_hold(uuid),
    public.expire_next_hold(jsonb), public.settle_hold(public.transactions, text), public.held_hold(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.hold_money(uuid, numeric, integer, uuid, text), public.confirm_hold(uuid), public.release_hold(uuid)
    TO member, admin;
GRANT EXECUTE ON FUNCTION public.expire_next_hold(jsonb) TO strata_worker;
GRANT EXECUTE ON FUNCTION public.may_use_wallet(public.wallets) TO member, admin, strata_worker;
