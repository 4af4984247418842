ALTER TABLE "cloudevent_halves" ADD COLUMN "node" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "cloudevent_halves" DROP CONSTRAINT "cloudevent_halves_model_id_join_id_half_pk";--> statement-breakpoint
ALTER TABLE "cloudevent_halves" ADD CONSTRAINT "cloudevent_halves_model_id_join_id_node_half_pk" PRIMARY KEY("model_id","join_id","node","half");--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "class_labels" jsonb;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "class_labels" jsonb;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "auto_register_models" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- hand-written:
-- A version's class labels are frozen with the rest of it once it has been ready: the same
-- function as before, with class_labels added to the columns compared.
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
        NEW.training_config_hash, NEW.metrics, NEW.tags, NEW.created_at, NEW.class_labels
      ) IS DISTINCT FROM (
        OLD.id, OLD.model_id, OLD.version, OLD.artifact_uri, OLD.artifact_digest, OLD.framework,
        OLD.signature, OLD.code_repo, OLD.code_commit, OLD.code_dirty, OLD.training_config,
        OLD.training_config_hash, OLD.metrics, OLD.tags, OLD.created_at, OLD.class_labels
      ) THEN
      RAISE EXCEPTION 'model version %/% is ready and immutable', OLD.model_id, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
