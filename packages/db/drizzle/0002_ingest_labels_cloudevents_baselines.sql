-- Edited after generation: the two additive merge functions at the end are hand-written (drizzle-kit
-- cannot express functions). Rollups and counters only ever add through them (scale-out rule 6).
CREATE TABLE "cloudevent_halves" (
	"model_id" uuid NOT NULL,
	"join_id" text NOT NULL,
	"half" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"attributes" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cloudevent_halves_model_id_join_id_half_pk" PRIMARY KEY("model_id","join_id","half")
);
--> statement-breakpoint
CREATE TABLE "api_key_ingest_counters" (
	"api_key_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"accepted" bigint DEFAULT 0 NOT NULL,
	"rejected" bigint DEFAULT 0 NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	"rejected_by_code" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ingest_requests" (
	"api_key_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"body_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_requests_api_key_id_idempotency_key_pk" PRIMARY KEY("api_key_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"model_id" uuid NOT NULL,
	"prediction_id" text NOT NULL,
	"label_name" text NOT NULL,
	"version" text,
	"actual" jsonb NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"source" text,
	"annotator" text,
	"weight" double precision DEFAULT 1 NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb,
	"payload_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"joined_at" timestamp with time zone,
	"prediction_ts" timestamp with time zone,
	"delay_ms" double precision,
	CONSTRAINT "labels_model_id_prediction_id_label_name_pk" PRIMARY KEY("model_id","prediction_id","label_name")
);
--> statement-breakpoint
CREATE TABLE "reference_baselines" (
	"model_id" uuid NOT NULL,
	"version" text NOT NULL,
	"revision" integer NOT NULL,
	"rows" integer NOT NULL,
	"created_by_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_baselines_model_id_version_pk" PRIMARY KEY("model_id","version")
);
--> statement-breakpoint
CREATE TABLE "reference_profiles" (
	"model_id" uuid NOT NULL,
	"version" text NOT NULL,
	"target" text NOT NULL,
	"name" text NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"profile" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_profiles_model_id_version_target_name_pk" PRIMARY KEY("model_id","version","target","name")
);
--> statement-breakpoint
CREATE TABLE "feature_bin_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"target" text NOT NULL,
	"name" text NOT NULL,
	"profile_revision" integer NOT NULL,
	"counts" bigint[] DEFAULT '{}' NOT NULL,
	"missing" bigint DEFAULT 0 NOT NULL,
	"out_of_range" bigint DEFAULT 0 NOT NULL,
	"unseen" bigint DEFAULT 0 NOT NULL,
	"type_mismatch" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "feature_bin_rollups_minute_pk" PRIMARY KEY("model_id","minute","version","deployment","target","name","profile_revision")
);
--> statement-breakpoint
CREATE TABLE "label_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"label_name" text NOT NULL,
	"joined_count" bigint DEFAULT 0 NOT NULL,
	"delay_sum_ms" double precision DEFAULT 0 NOT NULL,
	"delay_histogram" bigint[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "label_rollups_minute_model_id_minute_version_label_name_pk" PRIMARY KEY("model_id","minute","version","label_name")
);
--> statement-breakpoint
CREATE TABLE "segment_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "segment_rollups_minute_pk" PRIMARY KEY("model_id","minute","version","deployment","segment","value")
);
--> statement-breakpoint
ALTER TABLE "prediction_rollups_minute" ADD COLUMN "score_histogram" bigint[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "prediction_rollups_minute" ADD COLUMN "latency_histogram" bigint[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "prediction_rollups_minute" ADD COLUMN "unknown_feature_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "prediction_rollups_minute" ADD COLUMN "type_mismatch_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "prediction_rollups_minute" ADD COLUMN "partial_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "cloudevent_halves_model_received_idx" ON "cloudevent_halves" USING btree ("model_id","received_at");--> statement-breakpoint
CREATE INDEX "labels_pending_idx" ON "labels" USING btree ("model_id","prediction_id") WHERE "labels"."joined_at" is null;--> statement-breakpoint
-- Element-wise sum of two count arrays (histograms, bin counts); the shorter one is padded with
-- zeros, so an empty default '{}' plus a histogram is the histogram.
CREATE FUNCTION plumbline_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}'::bigint[])
  FROM generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) AS i
$$;
--> statement-breakpoint
-- Key-wise sum of two JSON objects of counts ({"conflict": 2} + {"conflict": 1, "x": 1}).
CREATE FUNCTION plumbline_add_jsonb_counts(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
  FROM (
    SELECT key, sum(value::bigint) AS total
    FROM (SELECT * FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
          UNION ALL
          SELECT * FROM jsonb_each_text(coalesce(b, '{}'::jsonb))) AS entries
    GROUP BY key
  ) AS sums
$$;
