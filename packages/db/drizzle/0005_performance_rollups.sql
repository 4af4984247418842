-- Edited after generation: the float merge function at the end is hand-written (drizzle-kit
-- cannot express functions). Performance rollups only ever add through it and
-- plumbline_add_counts (scale-out rule 6); a revised label adds a negative contribution.
CREATE TABLE "confusion_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"label_name" text NOT NULL,
	"predicted_class" text NOT NULL,
	"actual_class" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "confusion_rollups_minute_pk" PRIMARY KEY("model_id","minute","version","deployment","label_name","predicted_class","actual_class")
);
--> statement-breakpoint
CREATE TABLE "performance_rollups_minute" (
	"model_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"label_name" text NOT NULL,
	"joined_count" bigint DEFAULT 0 NOT NULL,
	"positive_score_histogram" bigint[] DEFAULT '{}' NOT NULL,
	"negative_score_histogram" bigint[] DEFAULT '{}' NOT NULL,
	"score_sum_by_bin" double precision[] DEFAULT '{}' NOT NULL,
	"regression_count" bigint DEFAULT 0 NOT NULL,
	"absolute_error_sum" double precision DEFAULT 0 NOT NULL,
	"squared_error_sum" double precision DEFAULT 0 NOT NULL,
	"error_sum" double precision DEFAULT 0 NOT NULL,
	"error_histogram" bigint[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "performance_rollups_minute_pk" PRIMARY KEY("model_id","minute","version","deployment","label_name")
);
--> statement-breakpoint
ALTER TABLE "labels" ADD COLUMN "performance_contribution" jsonb;
--> statement-breakpoint
-- Element-wise sum of two float arrays (per-bin score sums), padded with zeros like
-- plumbline_add_counts, so an empty default '{}' plus an array is the array.
CREATE FUNCTION plumbline_add_sums(a double precision[], b double precision[]) RETURNS double precision[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}'::double precision[])
  FROM generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) AS i
$$;
