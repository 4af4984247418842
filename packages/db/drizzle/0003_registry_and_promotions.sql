CREATE TYPE "public"."dataset_split" AS ENUM('train', 'validation', 'holdout', 'full', 'other');--> statement-breakpoint
CREATE TYPE "public"."environment_kind" AS ENUM('development', 'staging', 'production');--> statement-breakpoint
CREATE TYPE "public"."evaluation_kind" AS ENUM('schema_validation', 'smoke_train', 'holdout', 'baseline_compare', 'fairness');--> statement-breakpoint
CREATE TYPE "public"."gate_outcome" AS ENUM('pass', 'fail', 'inconclusive', 'error');--> statement-breakpoint
CREATE TYPE "public"."dataset_role" AS ENUM('train', 'validation', 'holdout');--> statement-breakpoint
CREATE TYPE "public"."lineage_node_kind" AS ENUM('dataset_version', 'model_version', 'deployment', 'alias', 'prediction_stream');--> statement-breakpoint
CREATE TYPE "public"."alias_move_via" AS ENUM('promotion', 'break_glass', 'direct');--> statement-breakpoint
CREATE TYPE "public"."model_card_status" AS ENUM('draft', 'pending_review', 'approved', 'archived');--> statement-breakpoint
CREATE TYPE "public"."risk_tier" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "public"."approval_decision" AS ENUM('approve', 'reject');--> statement-breakpoint
CREATE TYPE "public"."promotion_state" AS ENUM('checks_running', 'checks_failed', 'awaiting_approval', 'approved', 'rejected', 'expired', 'cancelled', 'stale', 'deploying', 'promoted', 'rolled_back');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version" text NOT NULL,
	"digest" text NOT NULL,
	"uri" text DEFAULT '' NOT NULL,
	"dvc_path" text,
	"dvc_md5" text,
	"row_count" bigint,
	"split" "dataset_split" DEFAULT 'full' NOT NULL,
	"schema" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "environment_kind" NOT NULL,
	"protected" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_group_counts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"feature" text NOT NULL,
	"group" text NOT NULL,
	"true_positives" integer NOT NULL,
	"false_positives" integer NOT NULL,
	"true_negatives" integer NOT NULL,
	"false_negatives" integer NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"slice" text,
	"value" double precision NOT NULL,
	"lower" double precision,
	"upper" double precision,
	"n" integer,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"kind" "evaluation_kind" NOT NULL,
	"outcome" "gate_outcome" NOT NULL,
	"ci_job_url" text,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"policy" jsonb NOT NULL,
	"policy_hash" text NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lineage_edges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"from_kind" "lineage_node_kind" NOT NULL,
	"from_id" text NOT NULL,
	"to_kind" "lineage_node_kind" NOT NULL,
	"to_id" text NOT NULL,
	"role" "dataset_role",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_alias_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alias_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"name" text NOT NULL,
	"from_version_id" uuid,
	"to_version_id" uuid NOT NULL,
	"via" "alias_move_via" NOT NULL,
	"promotion_request_id" uuid,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text,
	"reason" text,
	"moved_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"name" text NOT NULL,
	"model_version_id" uuid NOT NULL,
	"protected" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"status" "model_card_status" DEFAULT 'draft' NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"submitted_by" uuid,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"approver_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"decision" "approval_decision" NOT NULL,
	"comment" text NOT NULL,
	"artifact_digest" text NOT NULL,
	"overrides_failed_gates" boolean DEFAULT false NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"rule_id" text NOT NULL,
	"rule_kind" text NOT NULL,
	"rule" jsonb NOT NULL,
	"subject" text,
	"observed" double precision,
	"threshold" double precision,
	"comparator" text,
	"outcome" "gate_outcome" NOT NULL,
	"on_fail" text NOT NULL,
	"message" text NOT NULL,
	"position" integer NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotion_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"environment_kind" "environment_kind" NOT NULL,
	"target_alias" text NOT NULL,
	"requester_type" "actor_type" NOT NULL,
	"requester_id" text NOT NULL,
	"version_creator_id" text NOT NULL,
	"state" "promotion_state" NOT NULL,
	"artifact_digest" text NOT NULL,
	"policy" jsonb NOT NULL,
	"policy_hash" text NOT NULL,
	"model_card_hash" text,
	"required_approvals" integer NOT NULL,
	"justification" text NOT NULL,
	"gate_decision" text,
	"gate_warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approved_via" text,
	"break_glass_actor_id" text,
	"break_glass_reason" text,
	"break_glass_at" timestamp with time zone,
	"closed_reason" text,
	"deployment_id" uuid,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"outbox_event_id" uuid NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"response_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"event_types" text[] NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
-- Governance rows reference versions by this id, so its unique index precedes their foreign keys.
CREATE UNIQUE INDEX "model_versions_id_key" ON "model_versions" USING btree ("id");--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "artifact_uri" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "artifact_digest" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "framework" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "signature" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "code_repo" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "code_commit" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "code_dirty" boolean;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "training_config" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "training_config_hash" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "metrics" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "created_by_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "ready_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "owner" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "risk_tier" "risk_tier";--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "sensitive_features" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_group_counts" ADD CONSTRAINT "evaluation_group_counts_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_metrics" ADD CONSTRAINT "evaluation_metrics_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_policies" ADD CONSTRAINT "gate_policies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_policies" ADD CONSTRAINT "gate_policies_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_policies" ADD CONSTRAINT "gate_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alias_history" ADD CONSTRAINT "model_alias_history_alias_id_model_aliases_id_fk" FOREIGN KEY ("alias_id") REFERENCES "public"."model_aliases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_request_id_promotion_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."promotion_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_approver_id_users_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_results" ADD CONSTRAINT "gate_results_request_id_promotion_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."promotion_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_outbox_event_id_outbox_events_id_fk" FOREIGN KEY ("outbox_event_id") REFERENCES "public"."outbox_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_version_key" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE INDEX "dataset_versions_digest_idx" ON "dataset_versions" USING btree ("digest");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_project_name_key" ON "datasets" USING btree ("project_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "environments_project_name_key" ON "environments" USING btree ("project_id","name");--> statement-breakpoint
CREATE INDEX "evaluation_group_counts_evaluation_idx" ON "evaluation_group_counts" USING btree ("evaluation_id","position");--> statement-breakpoint
CREATE INDEX "evaluation_metrics_evaluation_idx" ON "evaluation_metrics" USING btree ("evaluation_id","position");--> statement-breakpoint
CREATE INDEX "evaluations_version_idx" ON "evaluations" USING btree ("model_version_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gate_policies_environment_key" ON "gate_policies" USING btree ("environment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lineage_edges_from_to_key" ON "lineage_edges" USING btree ("from_kind","from_id","to_kind","to_id");--> statement-breakpoint
CREATE INDEX "lineage_edges_to_idx" ON "lineage_edges" USING btree ("to_kind","to_id");--> statement-breakpoint
CREATE INDEX "model_alias_history_alias_idx" ON "model_alias_history" USING btree ("alias_id","moved_at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_aliases_model_name_key" ON "model_aliases" USING btree ("model_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "model_cards_version_key" ON "model_cards" USING btree ("model_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_request_approver_key" ON "approvals" USING btree ("request_id","approver_id");--> statement-breakpoint
CREATE INDEX "gate_results_request_idx" ON "gate_results" USING btree ("request_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "promotion_requests_one_open_key" ON "promotion_requests" USING btree ("model_version_id","environment_id") WHERE "promotion_requests"."state" in ('checks_running', 'awaiting_approval', 'approved', 'deploying');--> statement-breakpoint
CREATE INDEX "promotion_requests_project_state_idx" ON "promotion_requests" USING btree ("project_id","state");--> statement-breakpoint
CREATE INDEX "promotion_requests_expiry_idx" ON "promotion_requests" USING btree ("expires_at") WHERE "promotion_requests"."state" = 'awaiting_approval';--> statement-breakpoint
CREATE INDEX "outbox_events_project_idx" ON "outbox_events" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_webhook_event_key" ON "webhook_deliveries" USING btree ("webhook_id","outbox_event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhooks_project_idx" ON "webhooks" USING btree ("project_id");--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- A ready version is immutable (spec: "immutable once ready"): approvals are bound to its
-- artifact digest, so nothing but its status (ready -> failed) and description may change.
CREATE FUNCTION model_versions_refuse_change_when_ready() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'ready' AND (
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
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_versions_immutable_when_ready BEFORE UPDATE ON model_versions FOR EACH ROW EXECUTE FUNCTION model_versions_refuse_change_when_ready();
