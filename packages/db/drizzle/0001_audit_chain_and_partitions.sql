-- The audit log is a hash chain. Each row's hash is SHA-256 over the previous row's hash and
-- this row's canonical text (audit_log_canonical_text). Postgres computes it in a BEFORE INSERT
-- trigger under a transaction-scoped advisory lock, so concurrent writers cannot fork the chain.
CREATE FUNCTION audit_log_canonical_text(r audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(E'\x1f',
    r.seq::text,
    to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    r.actor_type::text,
    coalesce(r.actor_id, ''),
    coalesce(r.project_id::text, ''),
    r.action,
    r.resource_type,
    coalesce(r.resource_id, ''),
    coalesce(r.before::text, ''),
    coalesce(r.after::text, ''),
    coalesce(r.reason, ''),
    coalesce(r.request_id, ''),
    coalesce(r.ip, ''))
$$;
--> statement-breakpoint
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('plumbline.audit_log'));
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, now()));
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || E'\x1e' || audit_log_canonical_text(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- Daily partitions of predictions, created on demand (by ingest for the days of a batch, and at
-- start-up for the days around today). Racing creators are harmless: the loser's error is
-- swallowed because the partition it wanted exists.
CREATE FUNCTION ensure_prediction_partition(day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  partition_name text := 'predictions_' || to_char(day, 'YYYYMMDD');
BEGIN
  IF to_regclass(format('public.%I', partition_name)) IS NOT NULL THEN
    RETURN;
  END IF;
  BEGIN
    EXECUTE format(
      'CREATE TABLE IF NOT EXISTS public.%I PARTITION OF public.predictions FOR VALUES FROM (%L) TO (%L)',
      partition_name,
      (day::timestamp AT TIME ZONE 'UTC'),
      ((day + 1)::timestamp AT TIME ZONE 'UTC'));
  EXCEPTION WHEN duplicate_table OR unique_violation OR invalid_object_definition THEN
    NULL;
  END;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ensure_prediction_partitions(first_day date, last_day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  day date := first_day;
BEGIN
  WHILE day <= last_day LOOP
    PERFORM ensure_prediction_partition(day);
    day := day + 1;
  END LOOP;
END;
$$;
