-- Runs once, as the superuser, when the postgres volume is initialised (docker-entrypoint-initdb.d); never again on
-- an existing volume. Creates the role and the database of the Shaosheng application, which creates its own tables
-- through its migrations at boot. Temporal's auto-setup creates its `temporal` and `temporal_visibility` databases
-- itself, as the superuser.
--
-- The password comes from SHAOSHENG_DB_PASSWORD in the postgres container's environment (\getenv: psql >= 15); it
-- must match the one in the API's and the worker's DATABASE_URL (docker-compose.yml sets both from one variable).
\set ON_ERROR_STOP on
\getenv shaosheng_password SHAOSHENG_DB_PASSWORD
\if :{?shaosheng_password}
SELECT :'shaosheng_password' = '' AS shaosheng_password_empty \gset
\else
\set shaosheng_password_empty true
\endif
\if :shaosheng_password_empty
DO $$ BEGIN RAISE EXCEPTION 'SHAOSHENG_DB_PASSWORD must be set in the postgres container'; END $$;
\endif

CREATE ROLE shaosheng LOGIN PASSWORD :'shaosheng_password';
-- Owner of the database, hence of its `public` schema (PostgreSQL >= 15): the migrations may create what they need.
CREATE DATABASE shaosheng OWNER shaosheng;
