-- The roles Strata needs. Roles belong to the whole PostgreSQL cluster, so each is created only
-- when missing.
--
-- strata_authenticator: the server's login role. It is not a superuser, cannot bypass row-level
-- security and owns nothing; per request it switches (SET ROLE) to one of the application roles.
-- Give it a password for TCP logins: ALTER ROLE strata_authenticator PASSWORD '...';
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_authenticator') THEN
        CREATE ROLE strata_authenticator LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anonymous') THEN
        CREATE ROLE anonymous NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'member') THEN
        CREATE ROLE member NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'admin') THEN
        CREATE ROLE admin NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
END
$$;

GRANT anonymous, member, admin TO strata_authenticator;

-- The server may connect to this database and read Strata's own bookkeeping, nothing more.
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO strata_authenticator', current_database());
END
$$;
GRANT USAGE ON SCHEMA strata TO strata_authenticator;
