import { randomUUID } from "node:crypto";

/**
 * The checks behind `pnpm demo --smoke`: what a new user does in the first minute, over HTTP
 * against the running services. Each step throws a `SmokeCheckFailed` that names it.
 */

export class SmokeCheckFailed extends Error {
  constructor(
    readonly step: string,
    detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

export interface SmokeTarget {
  webUrl: string;
  ingestUrl: string;
  apiKey: string;
  email: string;
  password: string;
  projectSlug: string;
  modelSlug: string;
  version: string;
}

/** Just enough of a cookie jar for one sign-in: name=value pairs, later ones win. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const separator = pair?.indexOf("=") ?? -1;
      if (!pair || separator <= 0) continue;
      this.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
  }

  has(predicate: (name: string) => boolean) {
    return [...this.cookies.keys()].some(predicate);
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

async function step<T>(name: string, log: (line: string) => void, run: () => Promise<T>) {
  const started = performance.now();
  try {
    const result = await run();
    log(`  ok  ${name} (${Math.round(performance.now() - started)} ms)`);
    return result;
  } catch (error) {
    if (error instanceof SmokeCheckFailed) throw error;
    throw new SmokeCheckFailed(name, error instanceof Error ? error.message : String(error));
  }
}

function expectStatus(name: string, response: Response, allowed: number[]) {
  if (!allowed.includes(response.status)) {
    throw new SmokeCheckFailed(name, `HTTP ${response.status}, expected ${allowed.join(" or ")}`);
  }
}

/** A tRPC query over GET with the signed-in cookie, as the web app calls it (superjson). */
async function trpcQuery<T>(
  target: SmokeTarget,
  jar: CookieJar,
  step: string,
  procedure: string,
  input: unknown,
): Promise<T> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${target.webUrl}/api/trpc/${procedure}?input=${query}`, {
    headers: { cookie: jar.header() },
  });
  if (response.status !== 200) {
    throw new SmokeCheckFailed(
      step,
      `${procedure}: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  }
  const body = (await response.json()) as { result?: { data?: { json?: T } } };
  const data = body.result?.data?.json;
  if (data === undefined) throw new SmokeCheckFailed(step, `${procedure} answered no data`);
  return data;
}

/** The model page's traffic query for the last hour: its total count. */
async function readModelPageTotal(target: SmokeTarget, jar: CookieJar): Promise<number> {
  const traffic = await trpcQuery<{ totals?: { count?: number } }>(
    target,
    jar,
    "model page query",
    "dashboard.traffic",
    {
      projectSlug: target.projectSlug,
      modelSlug: target.modelSlug,
      range: { preset: "1h" },
      slice: {},
    },
  );
  const count = traffic.totals?.count;
  if (typeof count !== "number") {
    throw new SmokeCheckFailed("model page query", "the answer has no totals.count");
  }
  return count;
}

async function waitFor<T>(
  name: string,
  timeoutMs: number,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new SmokeCheckFailed(name, `still ${JSON.stringify(last)} after ${timeoutMs / 1000}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

/**
 * Sign-in page, sign-in as a demo user, one prediction through ingest with the demo key, and
 * the model page's query counting it. Returns the authenticated cookie jar's model-page reader
 * so the caller can also watch the simulator's traffic arrive.
 */
export async function runSmokeChecks(target: SmokeTarget, log: (line: string) => void) {
  const jar = new CookieJar();

  await step("the web app serves the sign-in page", log, async () => {
    const response = await fetch(`${target.webUrl}/signin`);
    expectStatus("sign-in page", response, [200]);
    const html = await response.text();
    if (!html.includes('data-testid="signin-email"')) {
      throw new SmokeCheckFailed("sign-in page", "the page has no email field");
    }
  });

  await step(`${target.email} signs in`, log, async () => {
    const csrf = await fetch(`${target.webUrl}/api/auth/csrf`);
    expectStatus("sign-in", csrf, [200]);
    jar.store(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
    if (!csrfToken) throw new SmokeCheckFailed("sign-in", "no CSRF token from /api/auth/csrf");
    const response = await fetch(`${target.webUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams({
        email: target.email,
        password: target.password,
        csrfToken,
        callbackUrl: `${target.webUrl}/models`,
      }),
    });
    expectStatus("sign-in", response, [302, 303]);
    jar.store(response);
    if (!jar.has((name) => name.includes("session-token"))) {
      const location = response.headers.get("location") ?? "";
      throw new SmokeCheckFailed("sign-in", `no session cookie (redirected to ${location})`);
    }
    const models = await fetch(`${target.webUrl}/models`, {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    expectStatus("sign-in", models, [200]);
  });

  const before = await step("the model page's query answers", log, () =>
    readModelPageTotal(target, jar),
  );

  const predictionId = `smoke-${randomUUID()}`;
  await step("ingest accepts a prediction with the demo API key", log, async () => {
    const response = await fetch(`${target.ingestUrl}/v1/predictions`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        records: [
          {
            prediction_id: predictionId,
            timestamp: new Date().toISOString(),
            model: { id: target.modelSlug, version: target.version },
            features: { age: 41, annual_income: 52_000, region: "north" },
            prediction: { label: "repay", score: 0.9 },
          },
        ],
      }),
    });
    expectStatus("ingest", response, [202]);
  });

  await step("the model page's query returns the new prediction", log, () =>
    waitFor(
      "model page shows the prediction",
      15_000,
      () => readModelPageTotal(target, jar),
      (count) => count === before + 1,
    ),
  );

  await step("the model page's lookup finds the prediction by id", log, async () => {
    const found = await trpcQuery<{
      predictionId?: string;
      predictions?: { version?: string }[];
    } | null>(target, jar, "prediction lookup", "dashboard.lookupPrediction", {
      projectSlug: target.projectSlug,
      modelSlug: target.modelSlug,
      predictionId,
    });
    if (
      found?.predictionId !== predictionId ||
      found.predictions?.[0]?.version !== target.version
    ) {
      throw new SmokeCheckFailed("prediction lookup", `found ${JSON.stringify(found)}`);
    }
  });

  return {
    /** Waits until the model page counts more than `count` predictions (the simulator's). */
    waitForMoreThan: (name: string, count: number, timeoutMs: number) =>
      step(name, log, () =>
        waitFor(
          name,
          timeoutMs,
          () => readModelPageTotal(target, jar),
          (now) => now > count,
        ),
      ),
    total: () => readModelPageTotal(target, jar),
  };
}
