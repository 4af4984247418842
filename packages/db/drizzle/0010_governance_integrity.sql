ALTER TABLE "model_cards" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD COLUMN "requester_user_id" uuid;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD COLUMN "replaced_version_id" uuid;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD COLUMN "replaced_metrics" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Hand-written from here.
-- Staging and production environments are protected unless an admin turns it off afterwards
-- (registry.setEnvironmentProtection, audited). Existing ones become protected.
UPDATE environments SET protected = true WHERE kind IN ('staging', 'production') AND NOT protected;
--> statement-breakpoint
CREATE FUNCTION environments_refuse_unprotected_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IN ('staging', 'production') AND NOT NEW.protected THEN
    RAISE EXCEPTION 'a % environment is created protected; an admin may turn that off afterwards', NEW.kind
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER environments_protected_at_creation BEFORE INSERT ON environments FOR EACH ROW EXECUTE FUNCTION environments_refuse_unprotected_insert();
--> statement-breakpoint
-- The person behind each existing request: the user, or the API key's creator.
UPDATE promotion_requests pr SET requester_user_id = CASE
    WHEN pr.requester_type = 'user' THEN pr.requester_id::uuid
    ELSE (SELECT k.created_by FROM api_keys k WHERE k.id::text = pr.requester_id)
  END
WHERE pr.requester_type IN ('user', 'api_key');
--> statement-breakpoint
-- What each existing request replaced: for a promoted one, the version its alias move left; for
-- the others, what the target alias serves now. Metrics are that version's evaluation metrics.
UPDATE promotion_requests pr SET replaced_version_id = COALESCE(
    (SELECT h.from_version_id FROM model_alias_history h WHERE h.promotion_request_id = pr.id
      ORDER BY h.moved_at LIMIT 1),
    CASE WHEN pr.state IN ('promoted', 'rolled_back') THEN NULL ELSE
      (SELECT a.model_version_id FROM model_aliases a
        WHERE a.model_id = pr.model_id AND a.name = pr.target_alias) END
  );
--> statement-breakpoint
UPDATE promotion_requests pr SET replaced_metrics = COALESCE((
    SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'metric', m.metric, 'value', m.value, 'lower', m.lower, 'upper', m.upper, 'n', m.n))
        || jsonb_build_object('slice', m.slice)
      ORDER BY e.created_at, e.id, m.position)
    FROM evaluations e JOIN evaluation_metrics m ON m.evaluation_id = e.id
    WHERE e.model_version_id = pr.replaced_version_id
  ), '[]'::jsonb)
WHERE pr.replaced_version_id IS NOT NULL;
--> statement-breakpoint
UPDATE model_cards SET submitted_at = updated_at
WHERE submitted_at IS NULL AND status IN ('pending_review', 'approved');
--> statement-breakpoint
UPDATE model_versions SET ready_at = created_at WHERE status = 'ready' AND ready_at IS NULL;
--> statement-breakpoint
-- A version that has been ready is frozen in every code path: its status may only move between
-- ready and failed (never back to registering, which would reopen it), `ready_at` stays, its
-- creator columns may only lose their referent (ON DELETE SET NULL), and a direct DELETE is
-- refused. A cascade from deleting its model or project (trigger depth > 1) still goes through.
CREATE OR REPLACE FUNCTION model_versions_refuse_change_when_ready() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'ready' OR OLD.ready_at IS NOT NULL THEN
    IF TG_OP = 'DELETE' THEN
      IF pg_trigger_depth() = 1 THEN
        RAISE EXCEPTION 'model version %/% has been ready and cannot be deleted', OLD.model_id, OLD.version
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN OLD;
    END IF;
    IF NEW.status NOT IN ('ready', 'failed')
      OR NEW.ready_at IS DISTINCT FROM OLD.ready_at
      OR (NEW.created_by IS DISTINCT FROM OLD.created_by AND NEW.created_by IS NOT NULL)
      OR (NEW.created_by_api_key_id IS DISTINCT FROM OLD.created_by_api_key_id
          AND NEW.created_by_api_key_id IS NOT NULL)
      OR (
        NEW.id, NEW.model_id, NEW.version, NEW.artifact_uri, NEW.artifact_digest, NEW.framework,
        NEW.signature, NEW.code_repo, NEW.code_commit, NEW.code_dirty, NEW.training_config,
        NEW.training_config_hash, NEW.metrics, NEW.tags, NEW.created_at
      ) IS DISTINCT FROM (
        OLD.id, OLD.model_id, OLD.version, OLD.artifact_uri, OLD.artifact_digest, OLD.framework,
        OLD.signature, OLD.code_repo, OLD.code_commit, OLD.code_dirty, OLD.training_config,
        OLD.training_config_hash, OLD.metrics, OLD.tags, OLD.created_at
      ) THEN
      RAISE EXCEPTION 'model version %/% is ready and immutable', OLD.model_id, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_versions_undeletable_when_ready BEFORE DELETE ON model_versions FOR EACH ROW EXECUTE FUNCTION model_versions_refuse_change_when_ready();
--> statement-breakpoint
-- A ready version's training lineage (dataset_version -> model_version edges) is frozen with it:
-- no edge is added to, changed on or removed from a version that has been ready, except by a
-- cascade (trigger depth > 1).
CREATE FUNCTION lineage_edges_refuse_change_of_ready_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  edge lineage_edges;
BEGIN
  IF pg_trigger_depth() > 1 THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  FOREACH edge IN ARRAY (CASE TG_OP
      WHEN 'INSERT' THEN ARRAY[NEW]
      WHEN 'DELETE' THEN ARRAY[OLD]
      ELSE ARRAY[OLD, NEW] END) LOOP
    IF edge.from_kind = 'dataset_version' AND edge.to_kind = 'model_version' AND EXISTS (
      SELECT 1 FROM model_versions v
      WHERE v.id::text = edge.to_id AND (v.status = 'ready' OR v.ready_at IS NOT NULL)
    ) THEN
      RAISE EXCEPTION 'the lineage of model version % is frozen: it has been ready', edge.to_id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  RETURN COALESCE(NEW, OLD);
END;
$$;
--> statement-breakpoint
CREATE TRIGGER lineage_edges_frozen_for_ready_versions BEFORE INSERT OR UPDATE OR DELETE ON lineage_edges FOR EACH ROW EXECUTE FUNCTION lineage_edges_refuse_change_of_ready_version();
--> statement-breakpoint
-- A dataset version is content-addressed: its digest and location never change, and it cannot
-- be deleted while a version that has been ready names it as training lineage.
CREATE FUNCTION dataset_versions_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.id, NEW.dataset_id, NEW.version, NEW.digest, NEW.uri)
      IS DISTINCT FROM (OLD.id, OLD.dataset_id, OLD.version, OLD.digest, OLD.uri) THEN
      RAISE EXCEPTION 'dataset version % is content-addressed and immutable', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF pg_trigger_depth() = 1 AND EXISTS (
    SELECT 1 FROM lineage_edges e JOIN model_versions v ON v.id::text = e.to_id
    WHERE e.from_kind = 'dataset_version' AND e.from_id = OLD.id::text
      AND e.to_kind = 'model_version' AND (v.status = 'ready' OR v.ready_at IS NOT NULL)
  ) THEN
    RAISE EXCEPTION 'dataset version % is lineage of a ready model version', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE OR DELETE ON dataset_versions FOR EACH ROW EXECUTE FUNCTION dataset_versions_refuse_change();
