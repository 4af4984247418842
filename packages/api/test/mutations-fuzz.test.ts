import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { appRouter, createCaller, createInnerContext } from "../src";
import { createGovernanceFixture } from "./governance-fixture";

/**
 * Every tRPC mutation, enumerated from the router (a new one is covered without touching this
 * file), receives generated inputs as an admin of a seeded project on a migrated database. Any
 * answer is fine except a 5xx or something that is not a TRPCError: hostile input must be
 * refused with a 4xx that names the problem, never crash a resolver.
 *
 * Most inputs are arbitrary values (zod refuses them cheaply); a bounded number per mutation
 * are shaped from the procedure's own zod input, so that they pass validation and reach the
 * service and the database with edge values (bounds, hostile strings, known and unknown ids).
 */
const INPUTS_PER_MUTATION = 2_000;
const SHAPED_PER_MUTATION = 40;
const ARBITRARY_PER_MUTATION = INPUTS_PER_MUTATION - SHAPED_PER_MUTATION;
/** Arbitrary inputs never get past validation, so they can run side by side. */
const ARBITRARY_CONCURRENCY = 16;
const SEED = 20_261_205;

type ZodLike = { _zod: { def: ZodDef } };
interface ZodDef {
  type: string;
  format?: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  [key: string]: unknown;
}

interface MutationEntry {
  path: string;
  inputs: ZodLike[];
}

const mutations: MutationEntry[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; inputs: unknown[] } }
  >,
)
  .filter(([, procedure]) => procedure._def.type === "mutation")
  .map(([path, procedure]) => ({ path, inputs: procedure._def.inputs as ZodLike[] }))
  .sort((a, b) => a.path.localeCompare(b.path));

let database: TestDatabase;
let adminId = "";
let projectSlug = "";
const knownIds: string[] = [];
/** Seeded names by `table.column` (`models.slug`, `model_versions.version`, ...). */
const knownWords = new Map<string, string[]>();

/** Names a field probably refers to, judged by its key, so that shaped inputs find rows. */
function knownWordsFor(key: string | undefined): string[] {
  const pick = (...columns: string[]) => columns.flatMap((column) => knownWords.get(column) ?? []);
  const all = [...knownWords.values()].flat();
  if (!key) return all;
  if (/modelSlug/i.test(key)) return pick("models.slug");
  if (/version/i.test(key)) return pick("model_versions.version", "dataset_versions.version");
  if (/environment|alias/i.test(key)) return pick("environments.name", "model_aliases.name");
  if (/dataset/i.test(key)) return pick("datasets.slug", "datasets.name");
  return all;
}

/** Strings that broke something somewhere once: bytes PostgreSQL refuses, overlong, injection. */
const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "ab\ud800cd",
  "\udfff",
  "😀",
  "x".repeat(10_000),
  "'; drop table users; --",
  "../../etc/passwd",
  "%s%n%x",
  "__proto__",
  "constructor",
  "null",
  "1e309",
  "-1",
  "NaN",
  "\u202e",
];
const EDGE_NUMBERS = [0, -0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 1e308, -1e308, 5e-324];

const checksOf = (def: ZodDef) => (def.checks ?? []).map((check) => check._zod.def);

function numberBounds(def: ZodDef) {
  let min = -Number.MAX_VALUE;
  let max = Number.MAX_VALUE;
  let integer = false;
  for (const check of checksOf(def)) {
    if (check.check === "greater_than") min = Math.max(min, check.value as number);
    if (check.check === "less_than") max = Math.min(max, check.value as number);
    if (check.check === "number_format") integer = String(check.format).includes("int");
  }
  return { min, max, integer };
}

function lengthBounds(def: ZodDef, fallbackMax: number) {
  let min = 0;
  let max = fallbackMax;
  for (const check of checksOf(def)) {
    if (check.check === "min_length") min = Math.max(min, check.minimum as number);
    if (check.check === "max_length") max = Math.min(max, check.maximum as number);
    if (check.check === "length_equals") min = max = check.length as number;
  }
  return { min, max: Math.max(min, max) };
}

function shapedString(def: ZodDef, key: string | undefined): fc.Arbitrary<string> {
  const { min, max } = lengthBounds(def, 200);
  // Hostile strings that zod refuses by length are the arbitrary inputs' job.
  const fitting = HOSTILE_STRINGS.filter((text) => text.length >= min && text.length <= max);
  const hostile = fc.constantFrom(...(fitting.length > 0 ? fitting : HOSTILE_STRINGS));
  if (key === "projectSlug")
    return fc.oneof({ arbitrary: fc.constant(projectSlug), weight: 12 }, hostile);
  const words = knownWordsFor(key);
  const known = words.length > 0 ? fc.constantFrom(...words) : fc.constant("x");
  switch (def.format) {
    case "uuid":
    case "guid":
      return fc.oneof(
        { arbitrary: fc.constantFrom(...knownIds), weight: 6 },
        { arbitrary: fc.uuid({ version: 4 }), weight: 2 },
        fc.constant("00000000-0000-0000-0000-000000000000"),
      );
    case "url":
      return fc.oneof(
        fc.constantFrom(
          "https://hooks.example.com/plumbline",
          "http://localhost:1/x",
          "https://[::1]/",
          `https://example.com/${"a".repeat(1_990)}`,
        ),
        fc.webUrl(),
      );
    case "email":
      return fc.oneof(fc.emailAddress(), hostile);
    case "datetime":
    case "date":
      return fc
        .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
        .map((date) =>
          def.format === "date" ? date.toISOString().slice(0, 10) : date.toISOString(),
        );
    default:
      break;
  }
  const pattern = checksOf(def).find((check) => check.format === "regex")?.pattern;
  const plain =
    pattern instanceof RegExp
      ? fc.stringMatching(pattern).filter((text) => text.length <= max)
      : fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: "grapheme" });
  return fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: known, weight: 5 }, hostile);
}

function shapedNumber(def: ZodDef): fc.Arbitrary<number> {
  const { min, max, integer } = numberBounds(def);
  const inside = integer
    ? fc.integer({
        min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
        max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
      })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const edges = [min, max, ...EDGE_NUMBERS].filter((value) => value >= min && value <= max);
  return fc.oneof({ arbitrary: inside, weight: 3 }, fc.constantFrom(...edges));
}

/** An arbitrary that mostly satisfies `schema`, with edge values where they are allowed. */
function shapedFrom(schema: ZodLike, key?: string, depth = 0): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  const inner = (name: string) => shapedFrom(def[name] as ZodLike, key, depth + 1);
  if (depth > 12) return fc.constant(null);
  switch (def.type) {
    case "string":
      return shapedString(def, key);
    case "number":
      return shapedNumber(def);
    case "int":
      return shapedNumber(def);
    case "boolean":
      return fc.boolean();
    case "bigint":
      return fc.bigInt();
    case "date":
      return fc.date();
    case "null":
      return fc.constant(null);
    case "undefined":
    case "void":
      return fc.constant(undefined);
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "enum": {
      const values = Object.values(def.entries as Record<string, unknown>);
      return fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 9 }, fc.string());
    }
    case "object": {
      const shape = def.shape as Record<string, ZodLike>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const requiredKeys: string[] = [];
      for (const [name, field] of Object.entries(shape)) {
        model[name] = shapedFrom(field, name, depth + 1);
        if (!["optional", "default", "prefault"].includes(field._zod.def.type)) {
          requiredKeys.push(name);
        }
      }
      return fc.record(model, { requiredKeys });
    }
    case "array": {
      const { min, max } = lengthBounds(def, 6);
      return fc.array(inner("element"), { minLength: min, maxLength: Math.min(max, min + 6) });
    }
    case "tuple":
      return fc.tuple(...(def.items as ZodLike[]).map((item) => shapedFrom(item, key, depth + 1)));
    case "record":
      return fc.dictionary(
        shapedFrom(def.keyType as ZodLike, undefined, depth + 1).map(String),
        inner("valueType"),
        { maxKeys: 4 },
      );
    case "union":
      return fc.oneof(
        ...(def.options as ZodLike[]).map((option) => shapedFrom(option, key, depth + 1)),
      );
    case "intersection":
      return fc
        .tuple(inner("left"), inner("right"))
        .map(([left, right]) => ({ ...(left as object), ...(right as object) }));
    case "optional":
      return fc.option(inner("innerType"), { nil: undefined, freq: 4 });
    case "nullable":
      return fc.option(inner("innerType"), { nil: null, freq: 4 });
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return inner("innerType");
    case "pipe":
      return inner("in");
    case "lazy":
      return shapedFrom((def.getter as () => ZodLike)(), key, depth + 1);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The procedure's inputs merged (each `.input()` adds fields to one object). */
function shapedInput(entry: MutationEntry): fc.Arbitrary<unknown> {
  if (entry.inputs.length === 0) return fc.constant(undefined);
  return fc
    .tuple(...entry.inputs.map((input) => shapedFrom(input)))
    .map((parts) => Object.assign({}, ...(parts as object[])) as unknown);
}

/** Values of any type, and objects with the procedure's own keys holding values of any type. */
function arbitraryInput(entry: MutationEntry): fc.Arbitrary<unknown> {
  const keys = entry.inputs.flatMap((input) =>
    input._zod.def.type === "object" ? Object.keys(input._zod.def.shape as object) : [],
  );
  const anything = fc.anything({
    maxDepth: 2,
    maxKeys: 4,
    size: "xsmall",
    // Typed arrays, sparse arrays and bigints make generation a hundred times slower.
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withUnicodeString: true,
  });
  const ownKeys = fc
    .dictionary(fc.constantFrom(...(keys.length > 0 ? keys : ["input"])), anything, {
      maxKeys: Math.max(keys.length, 1),
    })
    .map((value) => ({ ...value, projectSlug }));
  return fc.oneof(anything, { arbitrary: ownKeys, weight: 3 });
}

function callMutation(path: string, input: unknown): Promise<unknown> {
  let target: unknown = createCaller(createInnerContext({ db: database.db, userId: adminId }));
  for (const segment of path.split(".")) target = (target as Record<string, unknown>)[segment];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

interface Failure {
  path: string;
  input: string;
  error: string;
}

/** A 4xx TRPCError or a success is fine; anything else is described as a failure. */
async function probe(path: string, input: unknown): Promise<Failure | null> {
  try {
    await callMutation(path, input);
    return null;
  } catch (error) {
    if (error instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(error);
      if (status >= 400 && status < 500) return null;
      const root = error.cause instanceof Error ? (error.cause.cause ?? error.cause) : null;
      const cause = root instanceof Error ? ` <- ${root.message}` : "";
      return {
        path,
        input: fc.stringify(input).slice(0, 300),
        error: `${error.code}: ${error.message}${cause}`,
      };
    }
    return {
      path,
      input: fc.stringify(input).slice(0, 300),
      error: `not a TRPCError: ${String(error)}`,
    };
  }
}

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const fixture = await createGovernanceFixture(database);
  adminId = fixture.admin.id;
  projectSlug = fixture.project.slug;
  await fixture.openRequest("production");
  await fixture.openRequest("staging");
  await fixture.candidate();
  await fixture.caller(fixture.admin).webhooks.create({
    projectSlug,
    url: "https://hooks.example.com/plumbline",
    eventTypes: ["*"],
  });
  await fixture.caller(fixture.admin).apiKeys.create({
    projectSlug,
    name: "ci",
    scopes: ["read"],
    modelAllowList: null,
    expiresInDays: 30,
  });
  // Every id and name in the seeded database, so that shaped inputs reach existing rows.
  const tables = await database.db.execute<{ table_name: string; column_name: string }>(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public'
      and ((column_name = 'id' and data_type = 'uuid')
        or (column_name in ('slug', 'name', 'version') and data_type = 'text'))`);
  for (const { table_name: table, column_name: column } of tables) {
    const rows = await database.db.execute<{ value: string }>(
      sql`select ${sql.identifier(column)}::text as value from ${sql.identifier(table)} limit 20`,
    );
    for (const { value } of rows) {
      if (column === "id") knownIds.push(value);
      else
        knownWords.set(`${table}.${column}`, [
          ...(knownWords.get(`${table}.${column}`) ?? []),
          value,
        ]);
    }
  }
}, 60_000);
afterAll(async () => {
  await database.drop();
});

describe("every tRPC mutation under generated input", () => {
  it("finds the mutations from the router", () => {
    expect(mutations.length).toBeGreaterThan(20);
    expect(mutations.map((entry) => entry.path)).toContain("apiKeys.create");
  });

  it(`answers ${INPUTS_PER_MUTATION} inputs per mutation with success or a 4xx, never a 5xx`, async () => {
    const failures: Failure[] = [];
    const record = (failure: Failure | null) => {
      if (failure) failures.push(failure);
    };
    const arbitraryCalls = mutations.flatMap((entry, index) =>
      fc
        .sample(arbitraryInput(entry), { numRuns: ARBITRARY_PER_MUTATION, seed: SEED + index })
        .map((input) => ({ path: entry.path, input })),
    );
    // Shaped inputs change data, so each mutation gets its own sequence; mutations interleave,
    // as concurrent users would.
    const shaped = Promise.all(
      mutations.map(async (entry, index) => {
        const inputs = fc.sample(shapedInput(entry), {
          numRuns: SHAPED_PER_MUTATION,
          seed: SEED + 1_000 + index,
        });
        for (const input of inputs) record(await probe(entry.path, input));
      }),
    );
    await inPool(arbitraryCalls, ARBITRARY_CONCURRENCY, async ({ path, input }) => {
      record(await probe(path, input));
    });
    await shaped;
    // One line per distinct failure, with the first input that caused it.
    const distinct = new Map<string, Failure>();
    for (const failure of failures) {
      const key = `${failure.path} ${failure.error.slice(0, 120)}`;
      if (!distinct.has(key)) distinct.set(key, failure);
    }
    expect([...distinct.values()]).toEqual([]);
  }, 180_000);
});
