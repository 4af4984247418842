import { describe, expect, it } from "vitest";

import {
  DEFAULT_VIEW_STATE,
  describeSlice,
  isLiveRange,
  mergeViewState,
  parseViewState,
  serializeViewState,
  slicesToQuery,
  type DashboardViewState,
} from "./url-state";

const parse = (query: string) => parseViewState(new URLSearchParams(query));

describe("parseViewState", () => {
  it("gives the default view (last hour, all traffic, no comparison) for an empty URL", () => {
    expect(parse("")).toEqual(DEFAULT_VIEW_STATE);
  });

  it("reads a preset, the filters and a version comparison", () => {
    expect(
      parse(
        "range=7d&version=2.1&deployment=canary&segment=country&segmentValue=FR&compare=versions&a=1&b=2",
      ),
    ).toEqual({
      range: { preset: "7d" },
      slice: { version: "2.1", deployment: "canary", segment: { name: "country", value: "FR" } },
      compare: { kind: "versions", a: "1", b: "2" },
    });
  });

  it("reads a custom range", () => {
    const state = parse("range=custom&from=2026-03-01T00:00:00.000Z&to=2026-03-02T00:00:00.000Z");
    expect(state.range).toEqual({
      from: new Date("2026-03-01T00:00:00.000Z"),
      to: new Date("2026-03-02T00:00:00.000Z"),
    });
  });

  it("ignores what it cannot use instead of failing", () => {
    expect(parse("range=2y&deployment=blue&compare=versions&a=1&b=1")).toEqual(DEFAULT_VIEW_STATE);
    // A range that ends before it starts falls back to the default preset.
    expect(parse("range=custom&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z").range).toEqual({
      preset: "1h",
    });
  });
});

describe("serializeViewState", () => {
  it("writes nothing for the default view", () => {
    expect(serializeViewState(DEFAULT_VIEW_STATE)).toBe("");
  });

  it("round-trips every field", () => {
    const state: DashboardViewState = {
      range: {
        from: new Date("2026-03-01T00:00:00.000Z"),
        to: new Date("2026-03-01T06:00:00.000Z"),
      },
      slice: { version: "3", deployment: "stable", segment: { name: "plan", value: "pro & team" } },
      compare: { kind: "deployments" },
    };
    const query = serializeViewState(state);
    expect(query).toBe(
      "range=custom&from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-01T06%3A00%3A00.000Z&version=3&deployment=stable&segment=plan&segmentValue=pro+%26+team&compare=deployments",
    );
    expect(parse(query)).toEqual(state);
  });

  it("keeps params it does not own when merging", () => {
    const merged = mergeViewState(new URLSearchParams("range=6h&tab=quality"), {
      ...DEFAULT_VIEW_STATE,
      range: { preset: "24h" },
    });
    expect(merged).toBe("range=24h&tab=quality");
  });
});

describe("slicesToQuery", () => {
  it("queries one slice without a comparison", () => {
    expect(slicesToQuery({ ...DEFAULT_VIEW_STATE, slice: { version: "2" } })).toEqual([
      { key: "a", label: "v2", slice: { version: "2" } },
    ]);
  });

  it("queries stable and canary side by side, keeping the other filters", () => {
    const slices = slicesToQuery({
      ...DEFAULT_VIEW_STATE,
      slice: { version: "2", deployment: "canary" },
      compare: { kind: "deployments" },
    });
    expect(slices.map((s) => [s.label, s.slice])).toEqual([
      ["Stable", { version: "2", deployment: "stable" }],
      ["Canary", { version: "2", deployment: "canary" }],
    ]);
  });

  it("queries two versions side by side", () => {
    const slices = slicesToQuery({
      ...DEFAULT_VIEW_STATE,
      compare: { kind: "versions", a: "1", b: "2" },
    });
    expect(slices.map((s) => s.slice.version)).toEqual(["1", "2"]);
  });
});

describe("describeSlice and isLiveRange", () => {
  it("names a slice in words", () => {
    expect(describeSlice({})).toBe("All traffic");
    expect(describeSlice({ version: "2", segment: { name: "country", value: "FR" } })).toBe(
      "v2 · country = FR",
    );
  });

  it("updates presets live and past custom ranges never", () => {
    const now = new Date("2026-03-02T12:00:00Z");
    expect(isLiveRange({ preset: "30d" }, now)).toBe(true);
    expect(
      isLiveRange(
        { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-02T00:00:00Z") },
        now,
      ),
    ).toBe(false);
    expect(
      isLiveRange(
        { from: new Date("2026-03-02T00:00:00Z"), to: new Date("2026-03-03T00:00:00Z") },
        now,
      ),
    ).toBe(true);
  });
});
