-- The two wrappers of migration 0007, same names, same results, in PL/pgSQL instead of SQL.
-- A SQL function declared IMMUTABLE whose body calls a STABLE one (to_char, to_json) is never
-- inlined: each call site of a statement parsed and planned the body again on every execution
-- (~0.3 ms of PostgreSQL's CPU per push write, whatever its rows), and every call ran through the
-- SQL-function executor. PL/pgSQL compiles a function once per connection and evaluates a plain
-- RETURN as a simple expression: in a 200k-row insert the stored text cost 9 µs per row against
-- 15 µs (docs/benchmarks.md, "The wire text's wrappers in PL/pgSQL, and generic plans for the
-- push"). The generated columns call them by name, so nothing else changes, and the texts they
-- write are the same.
CREATE OR REPLACE FUNCTION wire_instant(timestamptz) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$ BEGIN RETURN to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'); END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION wire_json(anyelement) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$ BEGIN RETURN to_json($1)::text; END $$;
