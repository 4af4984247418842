import type { MonitorScope } from "@plumbline/contracts";

/**
 * The dedup key of an alert: monitor / model / version / deployment / segment / feature, with
 * `*` for "all of it". At most one alert per key is open (a unique index in the database), so a
 * re-breach of the same thing updates that alert instead of opening another. Each part is
 * URI-encoded so that a `/` or `=` inside a feature or segment value cannot make two different
 * slices read as one key.
 */
export function alertDedupKey(input: {
  monitorId: string;
  modelId: string;
  scope: MonitorScope;
  feature: string | null;
}): string {
  const part = (value: string | undefined | null) =>
    value === undefined || value === null ? "*" : encodeURIComponent(value);
  const segment = input.scope.segment
    ? `${part(input.scope.segment.name)}=${part(input.scope.segment.value)}`
    : "*";
  return [
    part(input.monitorId),
    part(input.modelId),
    part(input.scope.version),
    part(input.scope.deployment),
    segment,
    part(input.feature),
  ].join("/");
}
