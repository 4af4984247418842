CREATE TABLE "confusion_rollups_hour" (
	"model_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"label_name" text NOT NULL,
	"predicted_class" text NOT NULL,
	"actual_class" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "confusion_rollups_hour_pk" PRIMARY KEY("model_id","hour","version","deployment","label_name","predicted_class","actual_class")
);
--> statement-breakpoint
CREATE TABLE "performance_rollups_hour" (
	"model_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
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
	CONSTRAINT "performance_rollups_hour_pk" PRIMARY KEY("model_id","hour","version","deployment","label_name")
);
--> statement-breakpoint
CREATE TABLE "label_rollups_hour" (
	"model_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"label_name" text NOT NULL,
	"joined_count" bigint DEFAULT 0 NOT NULL,
	"delay_sum_ms" double precision DEFAULT 0 NOT NULL,
	"delay_histogram" bigint[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "label_rollups_hour_pk" PRIMARY KEY("model_id","hour","version","label_name")
);
--> statement-breakpoint
CREATE TABLE "prediction_rollups_hour" (
	"model_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"score_count" bigint DEFAULT 0 NOT NULL,
	"score_sum" double precision DEFAULT 0 NOT NULL,
	"score_histogram" bigint[] DEFAULT '{}' NOT NULL,
	"low_confidence_count" bigint DEFAULT 0 NOT NULL,
	"error_count" bigint DEFAULT 0 NOT NULL,
	"latency_count" bigint DEFAULT 0 NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	"latency_histogram" bigint[] DEFAULT '{}' NOT NULL,
	"duplicate_count" bigint DEFAULT 0 NOT NULL,
	"unknown_feature_count" bigint DEFAULT 0 NOT NULL,
	"type_mismatch_count" bigint DEFAULT 0 NOT NULL,
	"partial_count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "prediction_rollups_hour_pk" PRIMARY KEY("model_id","hour","version","deployment")
);
--> statement-breakpoint
CREATE TABLE "segment_rollups_hour" (
	"model_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"deployment" text NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "segment_rollups_hour_pk" PRIMARY KEY("model_id","hour","version","deployment","segment","value")
);
--> statement-breakpoint
-- Hand-written from here (drizzle-kit cannot express functions or triggers). Keeps each
-- *_rollups_hour table equal to the per-hour sum of its *_rollups_minute table, exactly as 0006
-- does for feature_bin_rollups_hour: inserted minute rows are added to their hour; an updated
-- row (an ingest upsert, a revised label's negative contribution) adds its new values and
-- subtracts its old ones. One INSERT per statement, in key order, so concurrent writers lock
-- hour rows in one order. Histograms are unnested together (one row per position, a shorter
-- array yielding nulls that sum ignores) and regrouped, with no function call per row; float
-- arrays merge by plumbline_add_sums. Hours are cut in UTC whatever the session's time zone.
-- Minute rollups are never deleted (they only add); a cleanup that deletes them deletes their
-- hours.
--> statement-breakpoint
CREATE FUNCTION prediction_rollups_hour_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, 1 AS sign,
      count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram
    FROM new_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, deployment, u.ord, sum(sign * u.score_histogram) AS score_histogram, sum(sign * u.latency_histogram) AS latency_histogram
    FROM changes CROSS JOIN LATERAL unnest(changes.score_histogram, changes.latency_histogram) WITH ORDINALITY AS u(score_histogram, latency_histogram, ord)
    GROUP BY model_id, hour, version, deployment, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, deployment,
      array_agg(score_histogram ORDER BY ord) FILTER (WHERE score_histogram IS NOT NULL)::bigint[] AS score_histogram,
      array_agg(latency_histogram ORDER BY ord) FILTER (WHERE latency_histogram IS NOT NULL)::bigint[] AS latency_histogram
    FROM per_bin GROUP BY model_id, hour, version, deployment
  ),
  totals AS (
    SELECT model_id, hour, version, deployment,
      sum(sign * count) AS count, sum(sign * score_count) AS score_count, sum(sign * score_sum) AS score_sum, sum(sign * low_confidence_count) AS low_confidence_count, sum(sign * error_count) AS error_count, sum(sign * latency_count) AS latency_count, sum(sign * latency_sum_ms) AS latency_sum_ms, sum(sign * duplicate_count) AS duplicate_count, sum(sign * unknown_feature_count) AS unknown_feature_count, sum(sign * type_mismatch_count) AS type_mismatch_count, sum(sign * partial_count) AS partial_count
    FROM changes GROUP BY model_id, hour, version, deployment
  )
  INSERT INTO prediction_rollups_hour AS h (model_id, hour, version, deployment, count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram)
  SELECT model_id, hour, version, deployment, t.count, t.score_count, t.score_sum, t.low_confidence_count, t.error_count, t.latency_count, t.latency_sum_ms, t.duplicate_count, t.unknown_feature_count, t.type_mismatch_count, t.partial_count, coalesce(b.score_histogram, '{}'::bigint[]), coalesce(b.latency_histogram, '{}'::bigint[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment)
  ORDER BY model_id, hour, version, deployment
  ON CONFLICT (model_id, hour, version, deployment)
  DO UPDATE SET
    count = h.count + excluded.count,
    score_count = h.score_count + excluded.score_count,
    score_sum = h.score_sum + excluded.score_sum,
    low_confidence_count = h.low_confidence_count + excluded.low_confidence_count,
    error_count = h.error_count + excluded.error_count,
    latency_count = h.latency_count + excluded.latency_count,
    latency_sum_ms = h.latency_sum_ms + excluded.latency_sum_ms,
    duplicate_count = h.duplicate_count + excluded.duplicate_count,
    unknown_feature_count = h.unknown_feature_count + excluded.unknown_feature_count,
    type_mismatch_count = h.type_mismatch_count + excluded.type_mismatch_count,
    partial_count = h.partial_count + excluded.partial_count,
    score_histogram = plumbline_add_counts(h.score_histogram, excluded.score_histogram),
    latency_histogram = plumbline_add_counts(h.latency_histogram, excluded.latency_histogram);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION prediction_rollups_hour_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, 1 AS sign,
      count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00'), version, deployment, -1,
      count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram
    FROM old_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, deployment, u.ord, sum(sign * u.score_histogram) AS score_histogram, sum(sign * u.latency_histogram) AS latency_histogram
    FROM changes CROSS JOIN LATERAL unnest(changes.score_histogram, changes.latency_histogram) WITH ORDINALITY AS u(score_histogram, latency_histogram, ord)
    GROUP BY model_id, hour, version, deployment, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, deployment,
      array_agg(score_histogram ORDER BY ord) FILTER (WHERE score_histogram IS NOT NULL)::bigint[] AS score_histogram,
      array_agg(latency_histogram ORDER BY ord) FILTER (WHERE latency_histogram IS NOT NULL)::bigint[] AS latency_histogram
    FROM per_bin GROUP BY model_id, hour, version, deployment
  ),
  totals AS (
    SELECT model_id, hour, version, deployment,
      sum(sign * count) AS count, sum(sign * score_count) AS score_count, sum(sign * score_sum) AS score_sum, sum(sign * low_confidence_count) AS low_confidence_count, sum(sign * error_count) AS error_count, sum(sign * latency_count) AS latency_count, sum(sign * latency_sum_ms) AS latency_sum_ms, sum(sign * duplicate_count) AS duplicate_count, sum(sign * unknown_feature_count) AS unknown_feature_count, sum(sign * type_mismatch_count) AS type_mismatch_count, sum(sign * partial_count) AS partial_count
    FROM changes GROUP BY model_id, hour, version, deployment
  )
  INSERT INTO prediction_rollups_hour AS h (model_id, hour, version, deployment, count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram)
  SELECT model_id, hour, version, deployment, t.count, t.score_count, t.score_sum, t.low_confidence_count, t.error_count, t.latency_count, t.latency_sum_ms, t.duplicate_count, t.unknown_feature_count, t.type_mismatch_count, t.partial_count, coalesce(b.score_histogram, '{}'::bigint[]), coalesce(b.latency_histogram, '{}'::bigint[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment)
  ORDER BY model_id, hour, version, deployment
  ON CONFLICT (model_id, hour, version, deployment)
  DO UPDATE SET
    count = h.count + excluded.count,
    score_count = h.score_count + excluded.score_count,
    score_sum = h.score_sum + excluded.score_sum,
    low_confidence_count = h.low_confidence_count + excluded.low_confidence_count,
    error_count = h.error_count + excluded.error_count,
    latency_count = h.latency_count + excluded.latency_count,
    latency_sum_ms = h.latency_sum_ms + excluded.latency_sum_ms,
    duplicate_count = h.duplicate_count + excluded.duplicate_count,
    unknown_feature_count = h.unknown_feature_count + excluded.unknown_feature_count,
    type_mismatch_count = h.type_mismatch_count + excluded.type_mismatch_count,
    partial_count = h.partial_count + excluded.partial_count,
    score_histogram = plumbline_add_counts(h.score_histogram, excluded.score_histogram),
    latency_histogram = plumbline_add_counts(h.latency_histogram, excluded.latency_histogram);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER prediction_rollups_hour_on_insert AFTER INSERT ON prediction_rollups_minute
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prediction_rollups_hour_add_inserted();
--> statement-breakpoint
CREATE TRIGGER prediction_rollups_hour_on_update AFTER UPDATE ON prediction_rollups_minute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION prediction_rollups_hour_add_updated();
--> statement-breakpoint
CREATE FUNCTION segment_rollups_hour_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, segment, value, 1 AS sign,
      count
    FROM new_rows
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, segment, value,
      sum(sign * count) AS count
    FROM changes GROUP BY model_id, hour, version, deployment, segment, value
  )
  INSERT INTO segment_rollups_hour AS h (model_id, hour, version, deployment, segment, value, count)
  SELECT model_id, hour, version, deployment, segment, value, t.count
  FROM totals t
  ORDER BY model_id, hour, version, deployment, segment, value
  ON CONFLICT (model_id, hour, version, deployment, segment, value)
  DO UPDATE SET
    count = h.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION segment_rollups_hour_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, segment, value, 1 AS sign,
      count
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00'), version, deployment, segment, value, -1,
      count
    FROM old_rows
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, segment, value,
      sum(sign * count) AS count
    FROM changes GROUP BY model_id, hour, version, deployment, segment, value
  )
  INSERT INTO segment_rollups_hour AS h (model_id, hour, version, deployment, segment, value, count)
  SELECT model_id, hour, version, deployment, segment, value, t.count
  FROM totals t
  ORDER BY model_id, hour, version, deployment, segment, value
  ON CONFLICT (model_id, hour, version, deployment, segment, value)
  DO UPDATE SET
    count = h.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER segment_rollups_hour_on_insert AFTER INSERT ON segment_rollups_minute
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION segment_rollups_hour_add_inserted();
--> statement-breakpoint
CREATE TRIGGER segment_rollups_hour_on_update AFTER UPDATE ON segment_rollups_minute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION segment_rollups_hour_add_updated();
--> statement-breakpoint
CREATE FUNCTION label_rollups_hour_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, label_name, 1 AS sign,
      joined_count, delay_sum_ms, delay_histogram
    FROM new_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, label_name, u.ord, sum(sign * u.delay_histogram) AS delay_histogram
    FROM changes CROSS JOIN LATERAL unnest(changes.delay_histogram) WITH ORDINALITY AS u(delay_histogram, ord)
    GROUP BY model_id, hour, version, label_name, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, label_name,
      array_agg(delay_histogram ORDER BY ord) FILTER (WHERE delay_histogram IS NOT NULL)::bigint[] AS delay_histogram
    FROM per_bin GROUP BY model_id, hour, version, label_name
  ),
  totals AS (
    SELECT model_id, hour, version, label_name,
      sum(sign * joined_count) AS joined_count, sum(sign * delay_sum_ms) AS delay_sum_ms
    FROM changes GROUP BY model_id, hour, version, label_name
  )
  INSERT INTO label_rollups_hour AS h (model_id, hour, version, label_name, joined_count, delay_sum_ms, delay_histogram)
  SELECT model_id, hour, version, label_name, t.joined_count, t.delay_sum_ms, coalesce(b.delay_histogram, '{}'::bigint[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, label_name)
  ORDER BY model_id, hour, version, label_name
  ON CONFLICT (model_id, hour, version, label_name)
  DO UPDATE SET
    joined_count = h.joined_count + excluded.joined_count,
    delay_sum_ms = h.delay_sum_ms + excluded.delay_sum_ms,
    delay_histogram = plumbline_add_counts(h.delay_histogram, excluded.delay_histogram);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION label_rollups_hour_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, label_name, 1 AS sign,
      joined_count, delay_sum_ms, delay_histogram
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00'), version, label_name, -1,
      joined_count, delay_sum_ms, delay_histogram
    FROM old_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, label_name, u.ord, sum(sign * u.delay_histogram) AS delay_histogram
    FROM changes CROSS JOIN LATERAL unnest(changes.delay_histogram) WITH ORDINALITY AS u(delay_histogram, ord)
    GROUP BY model_id, hour, version, label_name, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, label_name,
      array_agg(delay_histogram ORDER BY ord) FILTER (WHERE delay_histogram IS NOT NULL)::bigint[] AS delay_histogram
    FROM per_bin GROUP BY model_id, hour, version, label_name
  ),
  totals AS (
    SELECT model_id, hour, version, label_name,
      sum(sign * joined_count) AS joined_count, sum(sign * delay_sum_ms) AS delay_sum_ms
    FROM changes GROUP BY model_id, hour, version, label_name
  )
  INSERT INTO label_rollups_hour AS h (model_id, hour, version, label_name, joined_count, delay_sum_ms, delay_histogram)
  SELECT model_id, hour, version, label_name, t.joined_count, t.delay_sum_ms, coalesce(b.delay_histogram, '{}'::bigint[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, label_name)
  ORDER BY model_id, hour, version, label_name
  ON CONFLICT (model_id, hour, version, label_name)
  DO UPDATE SET
    joined_count = h.joined_count + excluded.joined_count,
    delay_sum_ms = h.delay_sum_ms + excluded.delay_sum_ms,
    delay_histogram = plumbline_add_counts(h.delay_histogram, excluded.delay_histogram);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER label_rollups_hour_on_insert AFTER INSERT ON label_rollups_minute
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION label_rollups_hour_add_inserted();
--> statement-breakpoint
CREATE TRIGGER label_rollups_hour_on_update AFTER UPDATE ON label_rollups_minute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION label_rollups_hour_add_updated();
--> statement-breakpoint
CREATE FUNCTION confusion_rollups_hour_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, predicted_class, actual_class, 1 AS sign,
      count
    FROM new_rows
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class,
      sum(sign * count) AS count
    FROM changes GROUP BY model_id, hour, version, deployment, label_name, predicted_class, actual_class
  )
  INSERT INTO confusion_rollups_hour AS h (model_id, hour, version, deployment, label_name, predicted_class, actual_class, count)
  SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class, t.count
  FROM totals t
  ORDER BY model_id, hour, version, deployment, label_name, predicted_class, actual_class
  ON CONFLICT (model_id, hour, version, deployment, label_name, predicted_class, actual_class)
  DO UPDATE SET
    count = h.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION confusion_rollups_hour_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, predicted_class, actual_class, 1 AS sign,
      count
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00'), version, deployment, label_name, predicted_class, actual_class, -1,
      count
    FROM old_rows
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class,
      sum(sign * count) AS count
    FROM changes GROUP BY model_id, hour, version, deployment, label_name, predicted_class, actual_class
  )
  INSERT INTO confusion_rollups_hour AS h (model_id, hour, version, deployment, label_name, predicted_class, actual_class, count)
  SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class, t.count
  FROM totals t
  ORDER BY model_id, hour, version, deployment, label_name, predicted_class, actual_class
  ON CONFLICT (model_id, hour, version, deployment, label_name, predicted_class, actual_class)
  DO UPDATE SET
    count = h.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER confusion_rollups_hour_on_insert AFTER INSERT ON confusion_rollups_minute
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION confusion_rollups_hour_add_inserted();
--> statement-breakpoint
CREATE TRIGGER confusion_rollups_hour_on_update AFTER UPDATE ON confusion_rollups_minute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION confusion_rollups_hour_add_updated();
--> statement-breakpoint
CREATE FUNCTION performance_rollups_hour_add_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, 1 AS sign,
      joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin
    FROM new_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, deployment, label_name, u.ord, sum(sign * u.positive_score_histogram) AS positive_score_histogram, sum(sign * u.negative_score_histogram) AS negative_score_histogram, sum(sign * u.error_histogram) AS error_histogram, sum(sign * u.score_sum_by_bin) AS score_sum_by_bin
    FROM changes CROSS JOIN LATERAL unnest(changes.positive_score_histogram, changes.negative_score_histogram, changes.error_histogram, changes.score_sum_by_bin) WITH ORDINALITY AS u(positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin, ord)
    GROUP BY model_id, hour, version, deployment, label_name, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, deployment, label_name,
      array_agg(positive_score_histogram ORDER BY ord) FILTER (WHERE positive_score_histogram IS NOT NULL)::bigint[] AS positive_score_histogram,
      array_agg(negative_score_histogram ORDER BY ord) FILTER (WHERE negative_score_histogram IS NOT NULL)::bigint[] AS negative_score_histogram,
      array_agg(error_histogram ORDER BY ord) FILTER (WHERE error_histogram IS NOT NULL)::bigint[] AS error_histogram,
      array_agg(score_sum_by_bin ORDER BY ord) FILTER (WHERE score_sum_by_bin IS NOT NULL)::double precision[] AS score_sum_by_bin
    FROM per_bin GROUP BY model_id, hour, version, deployment, label_name
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, label_name,
      sum(sign * joined_count) AS joined_count, sum(sign * regression_count) AS regression_count, sum(sign * absolute_error_sum) AS absolute_error_sum, sum(sign * squared_error_sum) AS squared_error_sum, sum(sign * error_sum) AS error_sum
    FROM changes GROUP BY model_id, hour, version, deployment, label_name
  )
  INSERT INTO performance_rollups_hour AS h (model_id, hour, version, deployment, label_name, joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin)
  SELECT model_id, hour, version, deployment, label_name, t.joined_count, t.regression_count, t.absolute_error_sum, t.squared_error_sum, t.error_sum, coalesce(b.positive_score_histogram, '{}'::bigint[]), coalesce(b.negative_score_histogram, '{}'::bigint[]), coalesce(b.error_histogram, '{}'::bigint[]), coalesce(b.score_sum_by_bin, '{}'::double precision[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment, label_name)
  ORDER BY model_id, hour, version, deployment, label_name
  ON CONFLICT (model_id, hour, version, deployment, label_name)
  DO UPDATE SET
    joined_count = h.joined_count + excluded.joined_count,
    regression_count = h.regression_count + excluded.regression_count,
    absolute_error_sum = h.absolute_error_sum + excluded.absolute_error_sum,
    squared_error_sum = h.squared_error_sum + excluded.squared_error_sum,
    error_sum = h.error_sum + excluded.error_sum,
    positive_score_histogram = plumbline_add_counts(h.positive_score_histogram, excluded.positive_score_histogram),
    negative_score_histogram = plumbline_add_counts(h.negative_score_histogram, excluded.negative_score_histogram),
    error_histogram = plumbline_add_counts(h.error_histogram, excluded.error_histogram),
    score_sum_by_bin = plumbline_add_sums(h.score_sum_by_bin, excluded.score_sum_by_bin);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION performance_rollups_hour_add_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH changes AS (
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, 1 AS sign,
      joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin
    FROM new_rows
    UNION ALL
    SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00'), version, deployment, label_name, -1,
      joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin
    FROM old_rows
  ),
  per_bin AS (
    SELECT model_id, hour, version, deployment, label_name, u.ord, sum(sign * u.positive_score_histogram) AS positive_score_histogram, sum(sign * u.negative_score_histogram) AS negative_score_histogram, sum(sign * u.error_histogram) AS error_histogram, sum(sign * u.score_sum_by_bin) AS score_sum_by_bin
    FROM changes CROSS JOIN LATERAL unnest(changes.positive_score_histogram, changes.negative_score_histogram, changes.error_histogram, changes.score_sum_by_bin) WITH ORDINALITY AS u(positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin, ord)
    GROUP BY model_id, hour, version, deployment, label_name, u.ord
  ),
  bins AS (
    SELECT model_id, hour, version, deployment, label_name,
      array_agg(positive_score_histogram ORDER BY ord) FILTER (WHERE positive_score_histogram IS NOT NULL)::bigint[] AS positive_score_histogram,
      array_agg(negative_score_histogram ORDER BY ord) FILTER (WHERE negative_score_histogram IS NOT NULL)::bigint[] AS negative_score_histogram,
      array_agg(error_histogram ORDER BY ord) FILTER (WHERE error_histogram IS NOT NULL)::bigint[] AS error_histogram,
      array_agg(score_sum_by_bin ORDER BY ord) FILTER (WHERE score_sum_by_bin IS NOT NULL)::double precision[] AS score_sum_by_bin
    FROM per_bin GROUP BY model_id, hour, version, deployment, label_name
  ),
  totals AS (
    SELECT model_id, hour, version, deployment, label_name,
      sum(sign * joined_count) AS joined_count, sum(sign * regression_count) AS regression_count, sum(sign * absolute_error_sum) AS absolute_error_sum, sum(sign * squared_error_sum) AS squared_error_sum, sum(sign * error_sum) AS error_sum
    FROM changes GROUP BY model_id, hour, version, deployment, label_name
  )
  INSERT INTO performance_rollups_hour AS h (model_id, hour, version, deployment, label_name, joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin)
  SELECT model_id, hour, version, deployment, label_name, t.joined_count, t.regression_count, t.absolute_error_sum, t.squared_error_sum, t.error_sum, coalesce(b.positive_score_histogram, '{}'::bigint[]), coalesce(b.negative_score_histogram, '{}'::bigint[]), coalesce(b.error_histogram, '{}'::bigint[]), coalesce(b.score_sum_by_bin, '{}'::double precision[])
  FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment, label_name)
  ORDER BY model_id, hour, version, deployment, label_name
  ON CONFLICT (model_id, hour, version, deployment, label_name)
  DO UPDATE SET
    joined_count = h.joined_count + excluded.joined_count,
    regression_count = h.regression_count + excluded.regression_count,
    absolute_error_sum = h.absolute_error_sum + excluded.absolute_error_sum,
    squared_error_sum = h.squared_error_sum + excluded.squared_error_sum,
    error_sum = h.error_sum + excluded.error_sum,
    positive_score_histogram = plumbline_add_counts(h.positive_score_histogram, excluded.positive_score_histogram),
    negative_score_histogram = plumbline_add_counts(h.negative_score_histogram, excluded.negative_score_histogram),
    error_histogram = plumbline_add_counts(h.error_histogram, excluded.error_histogram),
    score_sum_by_bin = plumbline_add_sums(h.score_sum_by_bin, excluded.score_sum_by_bin);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER performance_rollups_hour_on_insert AFTER INSERT ON performance_rollups_minute
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION performance_rollups_hour_add_inserted();
--> statement-breakpoint
CREATE TRIGGER performance_rollups_hour_on_update AFTER UPDATE ON performance_rollups_minute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION performance_rollups_hour_add_updated();
--> statement-breakpoint
-- prediction_rollups_minute rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, 1 AS sign,
    count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram
  FROM prediction_rollups_minute
),
per_bin AS (
  SELECT model_id, hour, version, deployment, u.ord, sum(sign * u.score_histogram) AS score_histogram, sum(sign * u.latency_histogram) AS latency_histogram
  FROM changes CROSS JOIN LATERAL unnest(changes.score_histogram, changes.latency_histogram) WITH ORDINALITY AS u(score_histogram, latency_histogram, ord)
  GROUP BY model_id, hour, version, deployment, u.ord
),
bins AS (
  SELECT model_id, hour, version, deployment,
    array_agg(score_histogram ORDER BY ord) FILTER (WHERE score_histogram IS NOT NULL)::bigint[] AS score_histogram,
    array_agg(latency_histogram ORDER BY ord) FILTER (WHERE latency_histogram IS NOT NULL)::bigint[] AS latency_histogram
  FROM per_bin GROUP BY model_id, hour, version, deployment
),
totals AS (
  SELECT model_id, hour, version, deployment,
    sum(sign * count) AS count, sum(sign * score_count) AS score_count, sum(sign * score_sum) AS score_sum, sum(sign * low_confidence_count) AS low_confidence_count, sum(sign * error_count) AS error_count, sum(sign * latency_count) AS latency_count, sum(sign * latency_sum_ms) AS latency_sum_ms, sum(sign * duplicate_count) AS duplicate_count, sum(sign * unknown_feature_count) AS unknown_feature_count, sum(sign * type_mismatch_count) AS type_mismatch_count, sum(sign * partial_count) AS partial_count
  FROM changes GROUP BY model_id, hour, version, deployment
)
INSERT INTO prediction_rollups_hour (model_id, hour, version, deployment, count, score_count, score_sum, low_confidence_count, error_count, latency_count, latency_sum_ms, duplicate_count, unknown_feature_count, type_mismatch_count, partial_count, score_histogram, latency_histogram)
SELECT model_id, hour, version, deployment, t.count, t.score_count, t.score_sum, t.low_confidence_count, t.error_count, t.latency_count, t.latency_sum_ms, t.duplicate_count, t.unknown_feature_count, t.type_mismatch_count, t.partial_count, coalesce(b.score_histogram, '{}'::bigint[]), coalesce(b.latency_histogram, '{}'::bigint[])
FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment);
--> statement-breakpoint
-- segment_rollups_minute rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, segment, value, 1 AS sign,
    count
  FROM segment_rollups_minute
),
totals AS (
  SELECT model_id, hour, version, deployment, segment, value,
    sum(sign * count) AS count
  FROM changes GROUP BY model_id, hour, version, deployment, segment, value
)
INSERT INTO segment_rollups_hour (model_id, hour, version, deployment, segment, value, count)
SELECT model_id, hour, version, deployment, segment, value, t.count
FROM totals t;
--> statement-breakpoint
-- label_rollups_minute rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, label_name, 1 AS sign,
    joined_count, delay_sum_ms, delay_histogram
  FROM label_rollups_minute
),
per_bin AS (
  SELECT model_id, hour, version, label_name, u.ord, sum(sign * u.delay_histogram) AS delay_histogram
  FROM changes CROSS JOIN LATERAL unnest(changes.delay_histogram) WITH ORDINALITY AS u(delay_histogram, ord)
  GROUP BY model_id, hour, version, label_name, u.ord
),
bins AS (
  SELECT model_id, hour, version, label_name,
    array_agg(delay_histogram ORDER BY ord) FILTER (WHERE delay_histogram IS NOT NULL)::bigint[] AS delay_histogram
  FROM per_bin GROUP BY model_id, hour, version, label_name
),
totals AS (
  SELECT model_id, hour, version, label_name,
    sum(sign * joined_count) AS joined_count, sum(sign * delay_sum_ms) AS delay_sum_ms
  FROM changes GROUP BY model_id, hour, version, label_name
)
INSERT INTO label_rollups_hour (model_id, hour, version, label_name, joined_count, delay_sum_ms, delay_histogram)
SELECT model_id, hour, version, label_name, t.joined_count, t.delay_sum_ms, coalesce(b.delay_histogram, '{}'::bigint[])
FROM totals t LEFT JOIN bins b USING (model_id, hour, version, label_name);
--> statement-breakpoint
-- confusion_rollups_minute rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, predicted_class, actual_class, 1 AS sign,
    count
  FROM confusion_rollups_minute
),
totals AS (
  SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class,
    sum(sign * count) AS count
  FROM changes GROUP BY model_id, hour, version, deployment, label_name, predicted_class, actual_class
)
INSERT INTO confusion_rollups_hour (model_id, hour, version, deployment, label_name, predicted_class, actual_class, count)
SELECT model_id, hour, version, deployment, label_name, predicted_class, actual_class, t.count
FROM totals t;
--> statement-breakpoint
-- performance_rollups_minute rows written before this migration.
WITH changes AS (
  SELECT model_id, date_bin('1 hour', minute, timestamptz '1970-01-01 00:00:00+00') AS hour, version, deployment, label_name, 1 AS sign,
    joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin
  FROM performance_rollups_minute
),
per_bin AS (
  SELECT model_id, hour, version, deployment, label_name, u.ord, sum(sign * u.positive_score_histogram) AS positive_score_histogram, sum(sign * u.negative_score_histogram) AS negative_score_histogram, sum(sign * u.error_histogram) AS error_histogram, sum(sign * u.score_sum_by_bin) AS score_sum_by_bin
  FROM changes CROSS JOIN LATERAL unnest(changes.positive_score_histogram, changes.negative_score_histogram, changes.error_histogram, changes.score_sum_by_bin) WITH ORDINALITY AS u(positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin, ord)
  GROUP BY model_id, hour, version, deployment, label_name, u.ord
),
bins AS (
  SELECT model_id, hour, version, deployment, label_name,
    array_agg(positive_score_histogram ORDER BY ord) FILTER (WHERE positive_score_histogram IS NOT NULL)::bigint[] AS positive_score_histogram,
    array_agg(negative_score_histogram ORDER BY ord) FILTER (WHERE negative_score_histogram IS NOT NULL)::bigint[] AS negative_score_histogram,
    array_agg(error_histogram ORDER BY ord) FILTER (WHERE error_histogram IS NOT NULL)::bigint[] AS error_histogram,
    array_agg(score_sum_by_bin ORDER BY ord) FILTER (WHERE score_sum_by_bin IS NOT NULL)::double precision[] AS score_sum_by_bin
  FROM per_bin GROUP BY model_id, hour, version, deployment, label_name
),
totals AS (
  SELECT model_id, hour, version, deployment, label_name,
    sum(sign * joined_count) AS joined_count, sum(sign * regression_count) AS regression_count, sum(sign * absolute_error_sum) AS absolute_error_sum, sum(sign * squared_error_sum) AS squared_error_sum, sum(sign * error_sum) AS error_sum
  FROM changes GROUP BY model_id, hour, version, deployment, label_name
)
INSERT INTO performance_rollups_hour (model_id, hour, version, deployment, label_name, joined_count, regression_count, absolute_error_sum, squared_error_sum, error_sum, positive_score_histogram, negative_score_histogram, error_histogram, score_sum_by_bin)
SELECT model_id, hour, version, deployment, label_name, t.joined_count, t.regression_count, t.absolute_error_sum, t.squared_error_sum, t.error_sum, coalesce(b.positive_score_histogram, '{}'::bigint[]), coalesce(b.negative_score_histogram, '{}'::bigint[]), coalesce(b.error_histogram, '{}'::bigint[]), coalesce(b.score_sum_by_bin, '{}'::double precision[])
FROM totals t LEFT JOIN bins b USING (model_id, hour, version, deployment, label_name);
