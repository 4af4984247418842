CREATE TYPE "public"."analysis_phase" AS ENUM('running', 'successful', 'failed', 'inconclusive', 'error');--> statement-breakpoint
CREATE TYPE "public"."deployment_abort_reason" AS ENUM('analysis_failed', 'analysis_error', 'progress_deadline', 'manual');--> statement-breakpoint
CREATE TYPE "public"."deployment_pause_reason" AS ENUM('step', 'inconclusive');--> statement-breakpoint
CREATE TYPE "public"."deployment_state" AS ENUM('pending', 'progressing', 'paused', 'analyzing', 'promoting', 'succeeded', 'aborting', 'rolled_back');--> statement-breakpoint
CREATE TYPE "public"."measurement_phase" AS ENUM('successful', 'failed', 'inconclusive', 'error');--> statement-breakpoint
CREATE TABLE "analysis_measurements" (
	"model_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"metric_name" text NOT NULL,
	"measurement_index" integer NOT NULL,
	"phase" "measurement_phase" NOT NULL,
	"value" double precision,
	"canary_value" double precision,
	"stable_value" double precision,
	"canary_samples" integer NOT NULL,
	"stable_samples" integer NOT NULL,
	"success_condition" jsonb,
	"failure_condition" jsonb,
	"reason" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analysis_measurements_model_id_run_id_metric_name_measurement_index_pk" PRIMARY KEY("model_id","run_id","metric_name","measurement_index")
);
--> statement-breakpoint
CREATE TABLE "analysis_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"step_index" integer NOT NULL,
	"metrics" jsonb NOT NULL,
	"phase" "analysis_phase" DEFAULT 'running' NOT NULL,
	"message" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deployment_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"from_state" "deployment_state",
	"to_state" "deployment_state",
	"weight_from" integer,
	"weight_to" integer,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"step_index" integer NOT NULL,
	"step" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_via" text
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"target_alias" text NOT NULL,
	"promotion_request_id" uuid,
	"candidate_version_id" uuid NOT NULL,
	"stable_version_id" uuid,
	"strategy" jsonb NOT NULL,
	"state" "deployment_state" DEFAULT 'pending' NOT NULL,
	"step_index" integer DEFAULT 0 NOT NULL,
	"weight" integer DEFAULT 0 NOT NULL,
	"step_started_at" timestamp with time zone,
	"pause_reason" "deployment_pause_reason",
	"pause_until" timestamp with time zone,
	"abort_reason" "deployment_abort_reason",
	"message" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "deployments_weight_range" CHECK ("deployments"."weight" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "rollout_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD CONSTRAINT "analysis_runs_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_steps" ADD CONSTRAINT "deployment_steps_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_promotion_request_id_promotion_requests_id_fk" FOREIGN KEY ("promotion_request_id") REFERENCES "public"."promotion_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_candidate_version_id_model_versions_id_fk" FOREIGN KEY ("candidate_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_stable_version_id_model_versions_id_fk" FOREIGN KEY ("stable_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_policies" ADD CONSTRAINT "rollout_policies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_policies" ADD CONSTRAINT "rollout_policies_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_policies" ADD CONSTRAINT "rollout_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_runs_step_key" ON "analysis_runs" USING btree ("model_id","deployment_id","attempt","step_index");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_events_sequence_key" ON "deployment_events" USING btree ("model_id","deployment_id","sequence","position");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_steps_step_key" ON "deployment_steps" USING btree ("model_id","deployment_id","attempt","step_index");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_one_live_key" ON "deployments" USING btree ("model_id","environment_id") WHERE "deployments"."state" in ('pending', 'progressing', 'paused', 'analyzing', 'promoting', 'aborting');--> statement-breakpoint
CREATE INDEX "deployments_live_idx" ON "deployments" USING btree ("state","updated_at") WHERE "deployments"."state" in ('pending', 'progressing', 'paused', 'analyzing', 'promoting', 'aborting');--> statement-breakpoint
CREATE INDEX "deployments_project_idx" ON "deployments" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "deployments_model_idx" ON "deployments" USING btree ("model_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rollout_policies_environment_key" ON "rollout_policies" USING btree ("environment_id");