// Seeds the dashboard benchmark's data set in SQL: 3 models with 20 features each, 30 days of
// predictions (about 10 million raw rows), and the rollups ingest would have written for them.
// Per-minute volumes follow a daily cycle; version 2 serves about 10% as canary. Feature bin
// counts are drawn from each feature's reference distribution, with one feature of each model
// shifted during the last three days so that drift has something to find.
import { buildReferenceProfiles, storeReferenceBaseline } from "@plumbline/db/baselines";
import type { Database } from "@plumbline/db/client";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { referenceProfiles, type FeatureSchema } from "@plumbline/db/schema";
import type { ReferenceProfile } from "@plumbline/drift";
import { and, eq } from "drizzle-orm";
import type postgres from "postgres";

export const BENCH_PROJECT_SLUG = "bench";
export const BENCH_DAYS = 30;
export const NUMERIC_FEATURES = 12;
export const CATEGORICAL_FEATURES = 8;
const CATEGORIES = ["a", "b", "c", "d", "e"];
const SEGMENT_VALUES = ["north", "south", "east", "west"];

export interface SeededModel {
  id: string;
  slug: string;
}

/** mulberry32, so every run seeds the same reference rows. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const numericName = (index: number) => `num_${String(index + 1).padStart(2, "0")}`;
const categoricalName = (index: number) => `cat_${String(index + 1).padStart(2, "0")}`;

function featureSchema(): FeatureSchema {
  const schema: FeatureSchema = {};
  for (let i = 0; i < NUMERIC_FEATURES; i += 1) schema[numericName(i)] = { type: "numeric" };
  for (let i = 0; i < CATEGORICAL_FEATURES; i += 1) {
    schema[categoricalName(i)] = { type: "categorical" };
  }
  return schema;
}

/** The training distribution: numeric feature i ~ N(10 i, 1 + i), categories skewed towards "a". */
function referenceRows(seed: number, count: number) {
  const random = seededRandom(seed);
  const normal = () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return Array.from({ length: count }, () => {
    const features: Record<string, unknown> = {};
    for (let i = 0; i < NUMERIC_FEATURES; i += 1) {
      features[numericName(i)] = 10 * i + (1 + i) * normal();
    }
    for (let i = 0; i < CATEGORICAL_FEATURES; i += 1) {
      features[categoricalName(i)] = CATEGORIES[Math.min(4, Math.floor(random() ** 1.5 * 5))];
    }
    const score = random();
    return { features, prediction: score > 0.5 ? "approve" : "decline", score };
  });
}

/** Bin shares of a stored profile (its reference counts over n), OOV bin included. */
function binShares(profile: ReferenceProfile): number[] {
  const counts = profile.counts;
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
}

/** Shares moved towards the upper bins: what a shifted feature looks like in bin counts. */
function shiftedShares(shares: number[]): number[] {
  const moved = shares.map((share, index) => share * (1 + index / 2));
  const total = moved.reduce((sum, share) => sum + share, 0);
  return moved.map((share) => share / total);
}

const sqlArray = (values: number[]) =>
  `'{${values.map((value) => value.toFixed(6)).join(",")}}'::float8[]`;

/**
 * Per-minute volume of a version: a daily cycle between about 35 and 105 predictions a
 * minute for the stable version, a ninth of that for the canary. The same expression seeds
 * the raw rows and every rollup, so they agree.
 */
const STABLE_COUNT = `(70 + round(35 * sin(2 * pi() * extract(epoch from m.minute) / 86400)))::int`;
const versionCount = (version: "stable" | "canary") =>
  version === "stable" ? STABLE_COUNT : `(${STABLE_COUNT} / 9)`;

export async function seedDashboardBench(
  db: Database,
  sql: postgres.Sql,
  now: Date,
  log: (line: string) => void,
): Promise<{ models: SeededModel[]; rows: number }> {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - BENCH_DAYS * 24 * 60 * 60_000);
  await ensurePredictionPartitions(sql, start, new Date(end.getTime() + 24 * 60 * 60_000));

  const project = await createProject(db, { slug: BENCH_PROJECT_SLUG, name: "Benchmark" });
  const schema = featureSchema();
  const models: SeededModel[] = [];
  for (let modelIndex = 0; modelIndex < 3; modelIndex += 1) {
    const slug = `bench-model-${modelIndex + 1}`;
    const model = await createModel(db, {
      projectId: project.id,
      slug,
      name: `Benchmark model ${modelIndex + 1}`,
      featureSchema: schema,
    });
    models.push({ id: model.id, slug });
    for (const version of ["1", "2"]) {
      await createModelVersion(db, { modelId: model.id, version });
      const rows = referenceRows(1000 * modelIndex + Number(version), 5_000);
      await db.transaction((tx) =>
        storeReferenceBaseline(tx, {
          modelId: model.id,
          version,
          rows: rows.length,
          profiles: buildReferenceProfiles(rows, schema),
          source: "api",
        }),
      );
    }
  }

  const range = { start: start.toISOString(), end: end.toISOString() };
  for (const model of models) {
    const began = performance.now();
    // One transaction per model and day keeps each statement's memory bounded.
    for (let day = 0; day < BENCH_DAYS; day += 1) {
      const dayStart = new Date(start.getTime() + day * 86_400_000).toISOString();
      const dayEnd = new Date(start.getTime() + (day + 1) * 86_400_000).toISOString();
      await seedModelDay(sql, db, model, { start: dayStart, end: dayEnd, last: range.end });
    }
    log(`  seeded ${model.slug} in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  }
  const [{ rows }] = (await sql`select count(*)::float8 as rows from predictions`) as unknown as [
    { rows: number },
  ];
  await sql`analyze`;
  return { models, rows };
}

async function seedModelDay(
  sql: postgres.Sql,
  db: Database,
  model: SeededModel,
  day: { start: string; end: string; last: string },
) {
  const versions = `(values ('1', 'stable'), ('2', 'canary')) as v(version, deployment)`;
  const minutes = `generate_series('${day.start}'::timestamptz, '${day.end}'::timestamptz - interval '1 minute', interval '1 minute') as m(minute)`;
  const count = `case v.deployment when 'stable' then ${versionCount("stable")} else ${versionCount("canary")} end`;
  const numericFeatures = Array.from(
    { length: NUMERIC_FEATURES },
    (_, i) =>
      `'${numericName(i)}', round((${10 * i} + ${1 + i} * (random() + random() + random() - 1.5) * 2)::numeric, 3)`,
  );
  const categoricalFeatures = Array.from(
    { length: CATEGORICAL_FEATURES },
    (_, i) =>
      `'${categoricalName(i)}', (array['a','b','c','d','e'])[1 + floor(power(random(), 1.5) * 5)::int]`,
  );

  await sql.begin(async (tx) => {
    await tx.unsafe(`
      insert into predictions (model_id, ts, prediction_id, version, deployment, environment,
        received_at, features, prediction, segments, score, latency_ms, status)
      select '${model.id}', m.minute + (r.i * 60.0 / c.n) * interval '1 second',
        'p-' || extract(epoch from m.minute)::bigint || '-' || v.version || '-' || r.i,
        v.version, v.deployment, 'production', m.minute,
        jsonb_build_object(${[...numericFeatures, ...categoricalFeatures].join(", ")}),
        jsonb_build_object('label', case when s.score > 0.5 then 'approve' else 'decline' end, 'score', s.score),
        jsonb_build_object('region', (array[${SEGMENT_VALUES.map((value) => `'${value}'`).join(",")}])[1 + (r.i % 4)]),
        s.score, 10 + 20 * random(), 'ok'
      from ${minutes} cross join ${versions}
      cross join lateral (select ${count} as n) c
      cross join lateral generate_series(0, c.n - 1) as r(i)
      cross join lateral (select round(random()::numeric, 4)::float8 as score) s`);

    await tx.unsafe(`
      insert into prediction_rollups_minute (model_id, minute, version, deployment, count,
        score_count, score_sum, score_histogram, low_confidence_count, error_count,
        latency_count, latency_sum_ms, latency_histogram)
      select '${model.id}', m.minute, v.version, v.deployment, c.n, c.n, c.n * 0.5,
        array(select (c.n / 10 + case when b <= c.n % 10 then 1 else 0 end)::bigint from generate_series(1, 10) b),
        c.n / 5, c.n / 200, c.n, c.n * 20.0,
        array(select case when b in (3, 4) then (c.n / 2)::bigint + case when b = 3 then c.n % 2 else 0 end else 0::bigint end from generate_series(1, 12) b)
      from ${minutes} cross join ${versions} cross join lateral (select ${count} as n) c`);

    await tx.unsafe(`
      insert into segment_rollups_minute (model_id, minute, version, deployment, segment, value, count)
      select '${model.id}', m.minute, v.version, v.deployment, 'region', s.value,
        c.n / 4 + case when s.k - 1 < c.n % 4 then 1 else 0 end
      from ${minutes} cross join ${versions} cross join lateral (select ${count} as n) c
      cross join unnest(array[${SEGMENT_VALUES.map((value) => `'${value}'`).join(",")}]) with ordinality as s(value, k)`);

    await tx.unsafe(`
      insert into label_rollups_minute (model_id, minute, version, label_name, joined_count,
        delay_sum_ms, delay_histogram)
      select '${model.id}', m.minute, v.version, 'outcome', (c.n * 8) / 10, (c.n * 8) / 10 * 60000.0,
        '{}'::bigint[]
      from ${minutes} cross join ${versions} cross join lateral (select ${count} as n) c
      where m.minute < '${day.last}'::timestamptz - interval '10 minutes'`);

    for (const version of ["1", "2"]) {
      const profiles = await db
        .select()
        .from(referenceProfiles)
        .where(
          and(eq(referenceProfiles.modelId, model.id), eq(referenceProfiles.version, version)),
        );
      const values = profiles.map((profile) => {
        const shares = binShares(profile.profile as unknown as ReferenceProfile);
        const shifted = profile.name === "num_03" ? shiftedShares(shares) : shares;
        return `('${profile.target}', '${profile.name}', ${profile.revision}, ${sqlArray(shares)}, ${sqlArray(shifted)})`;
      });
      const deployment = version === "1" ? "stable" : "canary";
      // Largest-remainder rounding would be exact; flooring each bin loses at most one per bin,
      // which the benchmark does not care about.
      await tx.unsafe(`
        insert into feature_bin_rollups_minute (model_id, minute, version, deployment, target,
          name, profile_revision, counts, missing, out_of_range, unseen, type_mismatch)
        select '${model.id}', m.minute, '${version}', '${deployment}', f.target, f.name, f.revision,
          array(select floor(c.n * share)::bigint from unnest(
            case when m.minute >= '${day.last}'::timestamptz - interval '3 days' then f.shifted else f.shares end
          ) as share),
          c.n / 100, 0, 0, 0
        from ${minutes}
        cross join (values ${values.join(", ")}) as f(target, name, revision, shares, shifted)
        cross join lateral (select ${versionCount(deployment)} as n) c`);
    }
  });
}
