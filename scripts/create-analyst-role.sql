-- Read-only access for analysts: the role ipbench_analyst can log in and SELECT every table and
-- view of the warehouse schema, and nothing else. Idempotent; run it as the role that owns the
-- warehouse tables (the one IPBENCH_DATABASE_URL uses), because default privileges only cover
-- tables created later by the role that sets them. scripts/create-analyst-role.sh runs it.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ipbench_analyst') THEN
        CREATE ROLE ipbench_analyst LOGIN;
    END IF;
END
$$;

-- Roles are shared by the whole cluster; what they may do is per database and per schema.
ALTER ROLE ipbench_analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
-- Even a privilege granted by mistake later cannot write through a default read-only session.
ALTER ROLE ipbench_analyst SET default_transaction_read_only = on;

DO $$
DECLARE
    warehouse_schema text := current_schema();
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO ipbench_analyst', current_database());
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', warehouse_schema);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ipbench_analyst', warehouse_schema);
    -- ALL TABLES covers views and materialised views too.
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO ipbench_analyst', warehouse_schema);
    EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO ipbench_analyst', warehouse_schema);
    -- Marts are rebuilt and migrations add tables: the analyst can read those too.
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO ipbench_analyst',
        warehouse_schema
    );
END
$$;
