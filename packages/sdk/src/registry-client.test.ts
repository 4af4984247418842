import { describe, expect, it } from "vitest";

import { RegistryClient, type RegistryError } from "./registry-client";

/** A fetch that records what it was asked and answers `status` with `body`. */
function recordingFetch(status: number, body: unknown) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    calls.push({ url, method: init.method!, body: JSON.parse(init.body as string) as unknown });
    return Promise.resolve(Response.json(body, { status }));
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe("RegistryClient", () => {
  it("refuses a schema with a position taken twice before anything is sent", async () => {
    const { calls, fetchImpl } = recordingFetch(201, {});
    const client = new RegistryClient({
      url: "http://plumbline.test/",
      apiKey: "k",
      fetch: fetchImpl,
    });
    const attempt = client.registerModel({
      slug: "iris",
      name: "Iris",
      schema: {
        features: [
          { name: "a", type: "numeric", position: 0 },
          { name: "b", type: "numeric", position: 0 },
        ],
      },
    });
    await expect(attempt).rejects.toThrow(
      /schema\.features\.1\.position: position 0 is taken by feature "a"/,
    );
    expect(calls).toHaveLength(0);
  });

  it("puts class labels to the version's path and reports the API's refusal with its code", async () => {
    const { calls, fetchImpl } = recordingFetch(409, {
      error: "version_immutable",
      message: "Version 3 is ready; class labels can change only while a version is registering.",
    });
    const client = new RegistryClient({
      url: "http://plumbline.test",
      apiKey: "k",
      fetch: fetchImpl,
    });
    const attempt = client.setVersionClassLabels("sklearn-iris", "3 rc", { labels: ["no", "yes"] });
    await expect(attempt).rejects.toMatchObject({
      name: "RegistryError",
      status: 409,
      code: "version_immutable",
    } satisfies Partial<RegistryError>);
    expect(calls).toEqual([
      {
        url: "http://plumbline.test/api/v1/models/sklearn-iris/versions/3%20rc/class-labels",
        method: "PUT",
        body: { classLabels: { labels: ["no", "yes"], positive: null } },
      },
    ]);
  });
});
