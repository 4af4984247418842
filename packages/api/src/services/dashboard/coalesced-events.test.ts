import { describe, expect, it } from "vitest";

import { coalescedEvents, type Sleep } from "./coalesced-events";

/** A manual clock: sleeping advances it, so the test never waits for real time. */
function manualClock(start: number) {
  let time = start;
  const sleeps: number[] = [];
  const sleep: Sleep = (ms) => {
    sleeps.push(ms);
    time += ms;
    return Promise.resolve();
  };
  return { now: () => time, advance: (ms: number) => (time += ms), sleep, sleeps };
}

function triggerSource() {
  let trigger: () => void = () => undefined;
  let subscribed = 0;
  return {
    subscribe: (fire: () => void) => {
      trigger = fire;
      subscribed += 1;
      return Promise.resolve(() => (subscribed -= 1));
    },
    fire: () => trigger(),
    subscribed: () => subscribed,
  };
}

describe("coalescedEvents", () => {
  it("folds a burst into one event and spaces the next by the interval", async () => {
    const clock = manualClock(1_000);
    const source = triggerSource();
    const controller = new AbortController();
    const events = coalescedEvents({
      subscribe: source.subscribe,
      signal: controller.signal,
      minIntervalMs: 250,
      now: clock.now,
      sleep: clock.sleep,
    });
    const first = events.next();
    await Promise.resolve();
    await Promise.resolve();
    source.fire();
    source.fire();
    source.fire();
    expect((await first).value).toEqual(new Date(1_000));

    // Two more triggers 100 ms later: one event, 150 ms later (250 after the first).
    clock.advance(100);
    source.fire();
    source.fire();
    expect((await events.next()).value).toEqual(new Date(1_250));
    expect(clock.sleeps).toEqual([150]);

    controller.abort();
    expect((await events.next()).done).toBe(true);
    expect(source.subscribed()).toBe(0);
  });

  it("emits at once for a reconnecting client", async () => {
    const clock = manualClock(5_000);
    const source = triggerSource();
    const controller = new AbortController();
    const events = coalescedEvents({
      subscribe: source.subscribe,
      signal: controller.signal,
      minIntervalMs: 250,
      emitFirst: true,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect((await events.next()).value).toEqual(new Date(5_000));
    await events.return(undefined);
    expect(source.subscribed()).toBe(0);
  });
});
