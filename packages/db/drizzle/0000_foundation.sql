-- Edited after generation: predictions is range-partitioned by day (drizzle-kit cannot express it).
CREATE TYPE "public"."api_key_mode" AS ENUM('live', 'test');--> statement-breakpoint
CREATE TYPE "public"."actor_type" AS ENUM('user', 'api_key', 'system');--> statement-breakpoint
CREATE TYPE "public"."model_task" AS ENUM('binary_classification', 'multiclass_classification', 'regression', 'ranking', 'other');--> statement-breakpoint
CREATE TYPE "public"."model_version_status" AS ENUM('registering', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('viewer', 'ml_engineer', 'approver', 'admin');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mode" "api_key_mode" DEFAULT 'live' NOT NULL,
	"key_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"model_allow_list" text[],
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text,
	"project_id" uuid,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"request_id" text,
	"ip" text,
	"prev_hash" text DEFAULT '' NOT NULL,
	"hash" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"model_id" uuid NOT NULL,
	"version" text NOT NULL,
	"status" "model_version_status" DEFAULT 'ready' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_versions_model_id_version_pk" PRIMARY KEY("model_id","version")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"task" "model_task" DEFAULT 'binary_classification' NOT NULL,
	"feature_schema" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prediction_keys" (
	"model_id" uuid NOT NULL,
	"version" text NOT NULL,
	"prediction_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"payload_hash" text NOT NULL,
	CONSTRAINT "prediction_keys_model_id_version_prediction_id_pk" PRIMARY KEY("model_id","version","prediction_id")
);
--> statement-breakpoint
CREATE TABLE "prediction_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"score_count" bigint DEFAULT 0 NOT NULL,
	"score_sum" double precision DEFAULT 0 NOT NULL,
	"low_confidence_count" bigint DEFAULT 0 NOT NULL,
	"error_count" bigint DEFAULT 0 NOT NULL,
	"latency_count" bigint DEFAULT 0 NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "prediction_rollups_minute_model_id_minute_version_deployment_pk" PRIMARY KEY("model_id","minute","version","deployment")
);
--> statement-breakpoint
CREATE TABLE "predictions" (
	"model_id" uuid NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"prediction_id" text NOT NULL,
	"version" text NOT NULL,
	"deployment" text DEFAULT 'stable' NOT NULL,
	"environment" text DEFAULT 'production' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"features" jsonb NOT NULL,
	"prediction" jsonb NOT NULL,
	"actual" jsonb,
	"segments" jsonb,
	"metadata" jsonb,
	"score" double precision,
	"request_id" text,
	"trace_id" text,
	"span_id" text,
	"latency_ms" real,
	"status" text DEFAULT 'ok' NOT NULL,
	"error_code" text,
	CONSTRAINT "predictions_model_id_ts_prediction_id_version_pk" PRIMARY KEY("model_id","ts","prediction_id","version")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_bindings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"project_id" uuid,
	"role" "role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"oidc_subject" text,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_id_key" ON "api_keys" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "api_keys_project_idx" ON "api_keys" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_project_idx" ON "audit_log" USING btree ("project_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE UNIQUE INDEX "models_project_slug_key" ON "models" USING btree ("project_id","slug");--> statement-breakpoint
CREATE INDEX "models_slug_idx" ON "models" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "predictions_model_version_ts_idx" ON "predictions" USING btree ("model_id","version","ts");--> statement-breakpoint
CREATE INDEX "predictions_model_prediction_idx" ON "predictions" USING btree ("model_id","prediction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_slug_key" ON "projects" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "role_bindings_user_project_key" ON "role_bindings" USING btree ("user_id","project_id") WHERE "role_bindings"."project_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "role_bindings_user_org_key" ON "role_bindings" USING btree ("user_id") WHERE "role_bindings"."project_id" is null;--> statement-breakpoint
CREATE INDEX "role_bindings_project_idx" ON "role_bindings" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_subject_key" ON "users" USING btree ("oidc_subject");