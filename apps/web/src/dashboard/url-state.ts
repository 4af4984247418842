import {
  DashboardRange,
  DashboardSlice,
  Deployment,
  ModelVersion,
  RANGE_PRESETS,
  RangePreset,
  type DashboardRange as DashboardRangeValue,
  type DashboardSlice as DashboardSliceValue,
} from "@plumbline/contracts";

/**
 * The model page's view (range, filters, comparison) lives in the URL's search params, so a
 * link reproduces exactly what its sender saw. Unknown or invalid params are ignored (a view
 * with defaults is better than an error page for a hand-edited link).
 */

export type Comparison = { kind: "deployments" } | { kind: "versions"; a: string; b: string };

export interface DashboardViewState {
  range: DashboardRangeValue;
  slice: DashboardSliceValue;
  compare: Comparison | null;
}

export const DEFAULT_PRESET: RangePreset = "1h";

export const DEFAULT_VIEW_STATE: DashboardViewState = {
  range: { preset: DEFAULT_PRESET },
  slice: {},
  compare: null,
};

/** The params this state uses, in the order they are written. */
const PARAMS = [
  "range",
  "from",
  "to",
  "version",
  "deployment",
  "segment",
  "segmentValue",
  "compare",
  "a",
  "b",
] as const;

interface ReadableParams {
  get(name: string): string | null;
}

function parseRange(params: ReadableParams): DashboardRangeValue {
  const from = params.get("from");
  const to = params.get("to");
  if (params.get("range") === "custom" && from && to) {
    const custom = DashboardRange.safeParse({ from, to });
    if (custom.success) return custom.data;
  }
  const preset = RangePreset.safeParse(params.get("range"));
  return { preset: preset.success ? preset.data : DEFAULT_PRESET };
}

function parseSlice(params: ReadableParams): DashboardSliceValue {
  const slice: DashboardSliceValue = {};
  const version = ModelVersion.safeParse(params.get("version"));
  if (version.success) slice.version = version.data;
  const deployment = Deployment.safeParse(params.get("deployment"));
  if (deployment.success) slice.deployment = deployment.data;
  const name = params.get("segment");
  const value = params.get("segmentValue");
  if (name && value !== null) {
    const segment = DashboardSlice.shape.segment.safeParse({ name, value });
    if (segment.success && segment.data) slice.segment = segment.data;
  }
  return slice;
}

function parseComparison(params: ReadableParams): Comparison | null {
  const kind = params.get("compare");
  if (kind === "deployments") return { kind };
  if (kind === "versions") {
    const a = ModelVersion.safeParse(params.get("a"));
    const b = ModelVersion.safeParse(params.get("b"));
    if (a.success && b.success && a.data !== b.data) return { kind, a: a.data, b: b.data };
  }
  return null;
}

export function parseViewState(params: ReadableParams): DashboardViewState {
  return { range: parseRange(params), slice: parseSlice(params), compare: parseComparison(params) };
}

/** The query string for a state (without "?"), leaving defaults out so links stay short. */
export function serializeViewState(state: DashboardViewState): string {
  const values: Partial<Record<(typeof PARAMS)[number], string>> = {};
  if ("preset" in state.range) {
    if (state.range.preset !== DEFAULT_PRESET) values.range = state.range.preset;
  } else {
    values.range = "custom";
    values.from = state.range.from.toISOString();
    values.to = state.range.to.toISOString();
  }
  if (state.slice.version) values.version = state.slice.version;
  if (state.slice.deployment) values.deployment = state.slice.deployment;
  if (state.slice.segment) {
    values.segment = state.slice.segment.name;
    values.segmentValue = state.slice.segment.value;
  }
  if (state.compare) {
    values.compare = state.compare.kind;
    if (state.compare.kind === "versions") {
      values.a = state.compare.a;
      values.b = state.compare.b;
    }
  }
  const search = new URLSearchParams();
  for (const name of PARAMS) {
    const value = values[name];
    if (value !== undefined) search.set(name, value);
  }
  return search.toString();
}

/** Keeps every param this state does not own (a drill-down's own params survive a range change). */
export function mergeViewState(current: URLSearchParams, state: DashboardViewState): string {
  const merged = new URLSearchParams(serializeViewState(state));
  for (const [name, value] of current) {
    if (!(PARAMS as readonly string[]).includes(name)) merged.append(name, value);
  }
  return merged.toString();
}

/** One slice the page queries, with the label the charts show for it. */
export interface QueriedSlice {
  key: "a" | "b";
  label: string;
  slice: DashboardSliceValue;
}

/**
 * The slices the page queries: the filtered slice alone, or two slices side by side when
 * comparing (the comparison overrides the version or deployment filter it is about).
 */
export function slicesToQuery(state: DashboardViewState): QueriedSlice[] {
  const { slice, compare } = state;
  if (!compare) return [{ key: "a", label: describeSlice(slice), slice }];
  if (compare.kind === "deployments") {
    return [
      { key: "a", label: "Stable", slice: { ...slice, deployment: "stable" } },
      { key: "b", label: "Canary", slice: { ...slice, deployment: "canary" } },
    ];
  }
  return [
    { key: "a", label: `v${compare.a}`, slice: { ...slice, version: compare.a } },
    { key: "b", label: `v${compare.b}`, slice: { ...slice, version: compare.b } },
  ];
}

/** "All traffic", "v2 · canary · country = FR". */
export function describeSlice(slice: DashboardSliceValue): string {
  const parts: string[] = [];
  if (slice.version) parts.push(`v${slice.version}`);
  if (slice.deployment) parts.push(slice.deployment);
  if (slice.segment) parts.push(`${slice.segment.name} = ${slice.segment.value}`);
  return parts.length === 0 ? "All traffic" : parts.join(" · ");
}

/**
 * Whether the view reaches the present, so it updates live: presets always do; a custom
 * range only while its end is in the future. Past ranges never poll.
 */
export function isLiveRange(range: DashboardRangeValue, now: Date): boolean {
  return "preset" in range || range.to.getTime() > now.getTime();
}

export const RANGE_LABELS: Record<RangePreset, string> = {
  "15m": "15 min",
  "1h": "1 hour",
  "6h": "6 hours",
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};

export { RANGE_PRESETS };
