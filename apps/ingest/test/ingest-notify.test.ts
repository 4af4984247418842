import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { INGEST_NOTIFY_CHANNEL } from "@plumbline/db/ingest-notifications";

import { notifyRollupsChanged } from "../src/services/rollups/ingest-notify";
import {
  createKey,
  postPredictions,
  postRaw,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
let labelToken: string;
/** Payloads heard on the channel, in delivery (commit) order. */
const heard: string[] = [];
let onHeard: (() => void) | null = null;

/** Resolves with the next payload heard (or one already heard and not yet taken). */
async function nextPayload(): Promise<string> {
  while (heard.length === 0) await new Promise<void>((resolve) => (onHeard = resolve));
  return heard.shift()!;
}

beforeAll(async () => {
  harness = await startIngestHarness();
  labelToken = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["labels:write", "predictions:write"],
    })
  ).token;
  await harness.sql.listen(INGEST_NOTIFY_CHANNEL, (payload) => {
    heard.push(payload);
    onHeard?.();
  });
});

afterAll(async () => {
  await harness.close();
});

describe("ingest notifications", () => {
  it("notifies the model's id once a prediction batch is acknowledged", async () => {
    const response = await postPredictions(harness.app, harness.token, {
      records: [predictionRecord(), predictionRecord()],
    });
    expect(response.statusCode).toBeLessThan(300);
    // One transaction, one model: PostgreSQL folds the payloads into one notification.
    expect(await nextPayload()).toBe(harness.model.id);
  });

  it("notifies when a label joins its prediction", async () => {
    const record = predictionRecord();
    await postPredictions(harness.app, harness.token, { records: [record] });
    expect(await nextPayload()).toBe(harness.model.id);
    const labelled = await postRaw(
      harness.app,
      "/v1/labels",
      labelToken,
      JSON.stringify({
        labels: [
          {
            prediction_id: record.prediction_id,
            model: { id: "fraud-detector" },
            actual: { label: "fraud" },
          },
        ],
      }),
      { "content-type": "application/json" },
    );
    expect(labelled.statusCode).toBeLessThan(300);
    expect(await nextPayload()).toBe(harness.model.id);
  });

  it("says nothing for a transaction that rolls back", async () => {
    const rolledBack = "00000000-0000-4000-8000-00000000000a";
    const committed = "00000000-0000-4000-8000-00000000000b";
    await expect(
      harness.sql.begin(async (tx) => {
        await notifyRollupsChanged(tx, [rolledBack]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await harness.sql.begin((tx) => notifyRollupsChanged(tx, [committed, committed]));
    // Delivery follows commit order: the rolled-back notification would have come first.
    expect(await nextPayload()).toBe(committed);
    expect(heard).toEqual([]);
  });
});
