CREATE SEQUENCE "public"."audit_log_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "audit_chain_heads" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"chain_seq" bigint DEFAULT 0 NOT NULL,
	"hash" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"project_id" uuid NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "audit_checkpoints_project_id_chain_seq_pk" PRIMARY KEY("project_id","chain_seq")
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone,
	CONSTRAINT "sign_in_throttle_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET DEFAULT nextval('audit_log_seq');--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_key" ON "audit_log" USING btree (coalesce("project_id", '00000000-0000-0000-0000-000000000000'::uuid),"chain_seq");--> statement-breakpoint
-- Hand-written from here.
-- The audit chain is now keyed and per project: appendAudit (packages/db/src/audit.ts) computes
-- each row's HMAC in Node with the project's head row locked; the database only checks that a
-- new row extends its project's head and advances the head. The old unkeyed trigger goes.
SELECT setval('audit_log_seq', (SELECT coalesce(max(seq), 0) + 1 FROM audit_log), false);
--> statement-breakpoint
DROP TRIGGER audit_log_chain ON audit_log;
--> statement-breakpoint
DROP FUNCTION audit_log_chain();
--> statement-breakpoint
DROP FUNCTION audit_log_canonical_text(audit_log);
--> statement-breakpoint
CREATE FUNCTION audit_log_link() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  IF NEW.chain_seq IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'audit_log rows are written only by appendAudit (no chain position or hash)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT chain_seq, hash INTO head_seq, head_hash FROM audit_chain_heads
    WHERE project_id = coalesce(NEW.project_id, '00000000-0000-0000-0000-000000000000'::uuid)
    FOR UPDATE;
  IF NOT FOUND OR NEW.chain_seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
    RAISE EXCEPTION 'audit_log rows are written only by appendAudit (the row does not extend its chain head)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE audit_chain_heads SET chain_seq = NEW.chain_seq, hash = NEW.hash
    WHERE project_id = coalesce(NEW.project_id, '00000000-0000-0000-0000-000000000000'::uuid);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_link BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_link();
--> statement-breakpoint
-- Rows written before the chain was keyed are chained once by sealLegacyAuditRows: an UPDATE
-- may only give a row without a chain position its position and hashes, nothing else.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
     AND (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'hash') = (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
