CREATE TYPE "public"."alert_event_kind" AS ENUM('breached', 'rebreached', 'fired', 'escalated', 'healthy', 'acknowledged', 'assigned', 'commented', 'snoozed', 'snooze_expired', 'resolved', 'false_alarm', 'notified', 'retraining_triggered');--> statement-breakpoint
CREATE TYPE "public"."alert_resolution" AS ENUM('healthy', 'manual', 'false_alarm', 'cleared');--> statement-breakpoint
CREATE TYPE "public"."alert_severity" AS ENUM('warning', 'critical');--> statement-breakpoint
CREATE TYPE "public"."alert_state" AS ENUM('pending', 'firing', 'acknowledged', 'snoozed', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."monitor_metric" AS ENUM('traffic_volume', 'no_data', 'ingest_health', 'latency', 'error_rate', 'missing_values', 'type_mismatch', 'out_of_range', 'unseen_categories', 'feature_drift', 'dataset_drift', 'prediction_drift', 'confidence', 'realized_performance', 'label_coverage', 'canary_vs_stable');--> statement-breakpoint
CREATE TYPE "public"."notification_channel" AS ENUM('webhook', 'slack', 'email');--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"kind" "alert_event_kind" NOT NULL,
	"actor_id" uuid,
	"body" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"dedup_key" text NOT NULL,
	"version" text,
	"deployment" text,
	"segment" jsonb,
	"feature" text,
	"severity" "alert_severity" NOT NULL,
	"state" "alert_state" NOT NULL,
	"resolution" "alert_resolution",
	"breach_streak" integer DEFAULT 1 NOT NULL,
	"healthy_streak" integer DEFAULT 0 NOT NULL,
	"rebreach_count" integer DEFAULT 0 NOT NULL,
	"value" double precision,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"first_breached_at" timestamp with time zone NOT NULL,
	"last_breached_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"snoozed_until" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_evaluations" (
	"model_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"bucket_end" timestamp with time zone NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"readings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitor_evaluations_model_id_monitor_id_bucket_end_pk" PRIMARY KEY("model_id","monitor_id","bucket_end")
);
--> statement-breakpoint
CREATE TABLE "monitor_mutes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"monitor_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"requested_by" uuid,
	"needs_approval" boolean DEFAULT false NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"name" text NOT NULL,
	"metric" "monitor_metric" NOT NULL,
	"statistic" text NOT NULL,
	"feature" text,
	"threshold" jsonb NOT NULL,
	"bucket_minutes" integer NOT NULL,
	"window_minutes" integer NOT NULL,
	"min_samples" integer NOT NULL,
	"breaches_to_fire" integer NOT NULL,
	"healthy_to_resolve" integer NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"notify" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"catalog_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retraining_policies" (
	"model_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"monitor_ids" uuid[] DEFAULT '{}' NOT NULL,
	"min_severity" "alert_severity" DEFAULT 'critical' NOT NULL,
	"cooldown_minutes" integer DEFAULT 360 NOT NULL,
	"channel_id" uuid NOT NULL,
	"last_triggered_at" timestamp with time zone,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "channel" "notification_channel" DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_evaluations" ADD CONSTRAINT "monitor_evaluations_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_mutes" ADD CONSTRAINT "monitor_mutes_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_mutes" ADD CONSTRAINT "monitor_mutes_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_mutes" ADD CONSTRAINT "monitor_mutes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_mutes" ADD CONSTRAINT "monitor_mutes_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_policies" ADD CONSTRAINT "retraining_policies_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_policies" ADD CONSTRAINT "retraining_policies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_policies" ADD CONSTRAINT "retraining_policies_channel_id_webhooks_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_policies" ADD CONSTRAINT "retraining_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_dedup_key" ON "alerts" USING btree ("model_id","dedup_key") WHERE "alerts"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX "alerts_project_state_idx" ON "alerts" USING btree ("project_id","state","created_at");--> statement-breakpoint
CREATE INDEX "alerts_model_idx" ON "alerts" USING btree ("model_id","created_at");--> statement-breakpoint
CREATE INDEX "monitor_mutes_monitor_idx" ON "monitor_mutes" USING btree ("monitor_id","ends_at");--> statement-breakpoint
CREATE INDEX "monitors_model_idx" ON "monitors" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "monitors_project_idx" ON "monitors" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitors_model_catalog_key" ON "monitors" USING btree ("model_id","catalog_key") WHERE "monitors"."catalog_key" is not null;