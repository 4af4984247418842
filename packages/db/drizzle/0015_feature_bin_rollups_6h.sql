CREATE TABLE "feature_bin_rollups_6h" (
	"model_id" uuid NOT NULL,
	"period" timestamp with time zone NOT NULL,
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
	CONSTRAINT "feature_bin_rollups_6h_pk" PRIMARY KEY("model_id","period","version","deployment","target","name","profile_revision")
);
--> statement-breakpoint
-- Keeps feature_bin_rollups_6h equal to the per-period sum of feature_bin_rollups_hour, the way
-- the hour table follows the minutes: the hour trigger's upsert fires these statement triggers,
-- inserted hour rows are added to their period, an updated hour row adds its new values and
-- subtracts its old ones, one INSERT per statement in key order (so concurrent writers lock
-- period rows in one order). Periods are cut at 00, 06, 12 and 18 UTC whatever the session's
-- time zone.
CREATE FUNCTION feature_bin_rollups_6h_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('6 hours', hour, timestamptz '1970-01-01 00:00:00+00') AS period,
      version, deployment, target, name, profile_revision, 1 AS sign, counts, missing,
      out_of_range, unseen, type_mismatch
    FROM new_rows
  ),
  per_bin AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, u.ord, sum(sign * u.c) AS c
    FROM changes CROSS JOIN LATERAL unnest(counts) WITH ORDINALITY AS u(c, ord)
    GROUP BY model_id, period, version, deployment, target, name, profile_revision, u.ord
  ),
  bins AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, array_agg(c ORDER BY ord)::bigint[] AS counts
    FROM per_bin GROUP BY model_id, period, version, deployment, target, name, profile_revision
  ),
  totals AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, sum(sign * missing) AS missing, sum(sign * out_of_range) AS out_of_range,
      sum(sign * unseen) AS unseen, sum(sign * type_mismatch) AS type_mismatch
    FROM changes GROUP BY model_id, period, version, deployment, target, name, profile_revision
  )
  INSERT INTO feature_bin_rollups_6h AS h (
    model_id, period, version, deployment, target, name, profile_revision,
    counts, missing, out_of_range, unseen, type_mismatch)
  SELECT model_id, period, version, deployment, target, name, profile_revision,
    coalesce(b.counts, '{}'::bigint[]), t.missing, t.out_of_range, t.unseen, t.type_mismatch
  FROM totals t LEFT JOIN bins b USING (model_id, period, version, deployment, target, name, profile_revision)
  ORDER BY model_id, period, version, deployment, target, name, profile_revision
  ON CONFLICT (model_id, period, version, deployment, target, name, profile_revision)
  DO UPDATE SET
    counts = plumbline_add_counts(h.counts, excluded.counts),
    missing = h.missing + excluded.missing,
    out_of_range = h.out_of_range + excluded.out_of_range,
    unseen = h.unseen + excluded.unseen,
    type_mismatch = h.type_mismatch + excluded.type_mismatch;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION feature_bin_rollups_6h_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('6 hours', hour, timestamptz '1970-01-01 00:00:00+00') AS period,
      version, deployment, target, name, profile_revision, 1 AS sign, counts, missing,
      out_of_range, unseen, type_mismatch
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('6 hours', hour, timestamptz '1970-01-01 00:00:00+00'),
      version, deployment, target, name, profile_revision, -1, counts, missing,
      out_of_range, unseen, type_mismatch
    FROM old_rows
  ),
  per_bin AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, u.ord, sum(sign * u.c) AS c
    FROM changes CROSS JOIN LATERAL unnest(counts) WITH ORDINALITY AS u(c, ord)
    GROUP BY model_id, period, version, deployment, target, name, profile_revision, u.ord
  ),
  bins AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, array_agg(c ORDER BY ord)::bigint[] AS counts
    FROM per_bin GROUP BY model_id, period, version, deployment, target, name, profile_revision
  ),
  totals AS (
    SELECT model_id, period, version, deployment, target, name, profile_revision, sum(sign * missing) AS missing, sum(sign * out_of_range) AS out_of_range,
      sum(sign * unseen) AS unseen, sum(sign * type_mismatch) AS type_mismatch
    FROM changes GROUP BY model_id, period, version, deployment, target, name, profile_revision
  )
  INSERT INTO feature_bin_rollups_6h AS h (
    model_id, period, version, deployment, target, name, profile_revision,
    counts, missing, out_of_range, unseen, type_mismatch)
  SELECT model_id, period, version, deployment, target, name, profile_revision,
    coalesce(b.counts, '{}'::bigint[]), t.missing, t.out_of_range, t.unseen, t.type_mismatch
  FROM totals t LEFT JOIN bins b USING (model_id, period, version, deployment, target, name, profile_revision)
  ORDER BY model_id, period, version, deployment, target, name, profile_revision
  ON CONFLICT (model_id, period, version, deployment, target, name, profile_revision)
  DO UPDATE SET
    counts = plumbline_add_counts(h.counts, excluded.counts),
    missing = h.missing + excluded.missing,
    out_of_range = h.out_of_range + excluded.out_of_range,
    unseen = h.unseen + excluded.unseen,
    type_mismatch = h.type_mismatch + excluded.type_mismatch;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER feature_bin_rollups_6h_on_insert AFTER INSERT ON feature_bin_rollups_hour
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION feature_bin_rollups_6h_add_inserted();
--> statement-breakpoint
CREATE TRIGGER feature_bin_rollups_6h_on_update AFTER UPDATE ON feature_bin_rollups_hour
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION feature_bin_rollups_6h_add_updated();
--> statement-breakpoint
-- Hour rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('6 hours', hour, timestamptz '1970-01-01 00:00:00+00') AS period,
    version, deployment, target, name, profile_revision, counts, missing, out_of_range, unseen,
    type_mismatch
  FROM feature_bin_rollups_hour
),
per_bin AS (
  SELECT model_id, period, version, deployment, target, name, profile_revision, u.ord, sum(u.c) AS c
  FROM changes CROSS JOIN LATERAL unnest(counts) WITH ORDINALITY AS u(c, ord)
  GROUP BY model_id, period, version, deployment, target, name, profile_revision, u.ord
),
bins AS (
  SELECT model_id, period, version, deployment, target, name, profile_revision, array_agg(c ORDER BY ord)::bigint[] AS counts
  FROM per_bin GROUP BY model_id, period, version, deployment, target, name, profile_revision
),
totals AS (
  SELECT model_id, period, version, deployment, target, name, profile_revision, sum(missing) AS missing, sum(out_of_range) AS out_of_range,
    sum(unseen) AS unseen, sum(type_mismatch) AS type_mismatch
  FROM changes GROUP BY model_id, period, version, deployment, target, name, profile_revision
)
INSERT INTO feature_bin_rollups_6h (
  model_id, period, version, deployment, target, name, profile_revision,
  counts, missing, out_of_range, unseen, type_mismatch)
SELECT model_id, period, version, deployment, target, name, profile_revision,
  coalesce(b.counts, '{}'::bigint[]), t.missing, t.out_of_range, t.unseen, t.type_mismatch
FROM totals t LEFT JOIN bins b USING (model_id, period, version, deployment, target, name, profile_revision);
