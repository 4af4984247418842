/**
 * Sign-in throttling (docs/sign-in-throttling.md) proven over HTTP against the running web app:
 * the real next-auth credentials endpoint and the real sign-in form. Each test sends its failures
 * from its own loopback address (127.0.0.7x, via the socket's local address), so the address the
 * browser and the other specs use (127.0.0.1 / ::1) never gathers failures and nobody else is
 * throttled. Accounts are made here for the same reason: the shared demo users stay usable.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import { createDatabase } from "@plumbline/db/client";
import { createUser } from "@plumbline/db/factories";

import { WEB_PORT } from "../support/environment";
import { e2eState } from "../support/state";

const THROTTLED_TEXT = "Too many failed sign-ins";
const PASSWORD = "throttle-e2e-password-1";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  localAddress: string,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: WEB_PORT, localAddress, method, path, headers, agent: false },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
      },
    );
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

type Outcome = "signed_in" | "invalid_credentials" | "throttled";

/** A client that signs in through next-auth's credentials endpoint from one loopback address. */
async function credentialsClient(localAddress: string) {
  const csrf = await send(localAddress, "GET", "/api/auth/csrf", {});
  expect(csrf.status).toBe(200);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookie = (csrf.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]).join("; ");

  return async function signIn(
    email: string,
    password: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ outcome: Outcome; location: string }> {
    const body = new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString();
    const answer = await send(
      localAddress,
      "POST",
      "/api/auth/callback/credentials",
      { "content-type": "application/x-www-form-urlencoded", cookie, ...extraHeaders },
      body,
    );
    expect(answer.status, answer.body).toBe(302);
    const location = new URL(String(answer.headers.location), "http://localhost");
    if (location.searchParams.get("error") === "CredentialsSignin") {
      const code = location.searchParams.get("code");
      expect(["throttled", "invalid_credentials"]).toContain(code);
      return { outcome: code as Outcome, location: location.pathname + location.search };
    }
    const sessionCookie = (answer.headers["set-cookie"] ?? []).some((line) =>
      line.startsWith("authjs.session-token="),
    );
    expect(sessionCookie, `no session cookie, sent to ${location.href}`).toBe(true);
    return { outcome: "signed_in", location: location.pathname };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fails (wrong password) until `count` failures were counted, waiting out each lock in between:
 * a throttled attempt is refused without being counted. `nextAttempt` gives each attempt's email
 * and headers. Returns the outcomes of the attempts in order.
 */
async function failUntilCounted(
  signIn: Awaited<ReturnType<typeof credentialsClient>>,
  count: number,
  nextAttempt: (index: number) => { email: string; headers?: Record<string, string> },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let counted = 0;
  while (counted < count) {
    const { email, headers } = nextAttempt(outcomes.length);
    const { outcome } = await signIn(email, "not-the-password", headers);
    outcomes.push(outcome);
    expect(outcome).not.toBe("signed_in");
    if (outcome === "invalid_credentials") counted += 1;
    else await sleep(500);
  }
  return outcomes;
}

async function lockAudits(resourceType: string, resourceId: string) {
  const { sql } = createDatabase(e2eState().databaseUrl, { max: 1 });
  try {
    return await sql<{ actor_id: string; ip: string | null; after: { failures: number } }[]>`
      select actor_id, ip, after from audit_log
      where action = 'sign_in.locked' and resource_type = ${resourceType}
        and resource_id = ${resourceId}`;
  } finally {
    await sql.end();
  }
}

test("repeated wrong passwords throttle the account, even its correct password, and only it", async ({
  page,
}, testInfo) => {
  const run = randomUUID().slice(0, 8);
  const target = `throttle-target-${run}@e2e.test`;
  const bystander = `throttle-bystander-${run}@e2e.test`;
  const { db, sql } = createDatabase(e2eState().databaseUrl, { max: 1 });
  try {
    await createUser(db, { email: target, name: "Throttle target", password: PASSWORD });
    await createUser(db, { email: bystander, name: "Throttle bystander", password: PASSWORD });
  } finally {
    await sql.end();
  }
  const address = "127.0.0.71";
  const signIn = await credentialsClient(address);

  // Five free failures, each answered as a plain wrong password.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    expect((await signIn(target, "not-the-password")).outcome).toBe("invalid_credentials");
  }
  // The sixth failure locks the account for 1 s; keep failing (waiting out each lock) until the
  // tenth, which locks it for 16 s: long enough to check the rest on a loaded machine.
  const outcomes = await failUntilCounted(signIn, 5, () => ({ email: target }));
  expect(outcomes).toContain("throttled");

  // While locked, even the correct password is refused, over the endpoint...
  const correct = await signIn(target, PASSWORD);
  expect(correct.outcome).toBe("throttled");
  // ...and through the sign-in form, from another address (the lock is the account's).
  await page.goto("/signin");
  await page.getByTestId("signin-email").fill(target);
  await page.getByTestId("signin-password").fill(PASSWORD);
  await page.getByTestId("signin-submit").click();
  await expect(page.getByTestId("signin-error")).toContainText(THROTTLED_TEXT);
  await expect(page).toHaveURL(/\/signin/);
  await page.screenshot({ path: testInfo.outputPath("throttled-sign-in.png") });

  // Another account signs in from the attacked address: it is within the address's allowance.
  expect((await signIn(bystander, PASSWORD)).outcome).toBe("signed_in");

  // The endpoint's redirect names the throttle, and the page it lands on says so.
  await page.context().clearCookies();
  await page.goto(correct.location);
  await expect(page.getByTestId("signin-error")).toContainText(THROTTLED_TEXT);

  // The lockout was audited once, for this account only, with the attacking address.
  const audits = await lockAudits("sign_in_account", target);
  expect(audits).toHaveLength(1);
  expect(audits[0]).toMatchObject({
    actor_id: "sign-in-throttle",
    ip: address,
    after: { failures: 6 },
  });
  expect(await lockAudits("sign_in_account", bystander)).toHaveLength(0);
});

test("a spoofed X-Forwarded-For or peer header does not escape the address throttle", async () => {
  const run = randomUUID().slice(0, 8);
  const address = "127.0.0.72";
  const signIn = await credentialsClient(address);
  // Every attempt names a fresh email (so no account is ever locked) and claims a fresh origin.
  const spoofed = (index: number) => ({
    email: `nobody-${run}-${index}@e2e.test`,
    headers: {
      "x-forwarded-for": `203.0.113.${index % 250}`,
      "x-real-ip": `203.0.113.${index % 250}`,
      "x-plumbline-peer": `198.51.100.${index % 250}`,
    },
  });

  // The address's 20 free failures, then three more (locks of 1 s, 2 s, then 4 s).
  const outcomes = await failUntilCounted(signIn, 23, spoofed);
  expect(outcomes.slice(0, 20)).toEqual(Array(20).fill("invalid_credentials"));

  // A new email with yet another claimed origin is still refused: the lock is the peer's.
  expect(
    (await signIn(spoofed(1000).email, "not-the-password", spoofed(1000).headers)).outcome,
  ).toBe("throttled");

  const audits = await lockAudits("sign_in_address", address);
  expect(audits).toHaveLength(1);
  expect(audits[0]).toMatchObject({ ip: address, after: { failures: 21 } });
  const { sql } = createDatabase(e2eState().databaseUrl, { max: 1 });
  try {
    const [spoofedLocks] = await sql<{ count: number }[]>`
      select count(*)::int as count from audit_log
      where action = 'sign_in.locked'
        and (resource_id like '203.0.113.%' or resource_id like '198.51.100.%')`;
    expect(spoofedLocks!.count).toBe(0);
  } finally {
    await sql.end();
  }
});
