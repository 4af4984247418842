import type { OutboxEventForDelivery } from "../webhooks/post-webhook";

/**
 * What a person-facing message (Slack, email) says about an outbox event, read tolerantly from
 * its payload: the payload is a stored JSON document, and an event type's payload may gain or
 * lose fields between versions, so every field is optional here and a missing one is left out.
 */
export interface EventDescription {
  /** One line: the Slack fallback text, the email subject. */
  title: string;
  severity: "warning" | "critical" | null;
  /** Label and value pairs, in reading order. */
  fields: { label: string; value: string }[];
  /** Drifting features and their statistics (retraining requests). */
  features: string[];
  /** Where to open it in Plumbline, when the event names one. */
  link: string | null;
}

type Json = Record<string, unknown>;

const objectAt = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const textAt = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;
const numberAt = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

export function formatMeasurement(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 0.001 || magnitude >= 1e6)
    ? value.toExponential(2)
    : String(Number(value.toPrecision(3)));
}

function windowText(start: unknown, end: unknown): string | null {
  const from = textAt(start);
  const to = textAt(end);
  if (!from || !to) return null;
  return `${from.replace(".000Z", "Z")} to ${to.replace(".000Z", "Z")}`;
}

function modelText(payload: Json): string | null {
  const model = objectAt(payload.model);
  const slug = textAt(model.slug);
  const name = textAt(model.name);
  if (!slug) return name;
  return name && name !== slug ? `${name} (${slug})` : slug;
}

const HEADLINE: Record<string, string> = {
  "alert.firing": "Alert firing",
  "alert.escalated": "Alert escalated to critical",
  "alert.resolved": "Alert resolved",
};

function describeAlert(event: OutboxEventForDelivery): EventDescription {
  const payload = event.payload;
  const alert = objectAt(payload.alert);
  const monitor = objectAt(payload.monitor);
  const severity =
    alert.severity === "critical" || alert.severity === "warning" ? alert.severity : null;
  const model = modelText(payload);
  const monitorName = textAt(monitor.name);
  const feature = textAt(alert.feature);
  const value = numberAt(alert.value);
  const threshold = numberAt(alert.threshold);
  const segment = objectAt(alert.segment);
  const fields: EventDescription["fields"] = [];
  const add = (label: string, text: string | null) => {
    if (text) fields.push({ label, value: text });
  };
  add("Severity", severity);
  add("Model", model);
  add(
    "Monitor",
    monitorName && textAt(monitor.metric)
      ? `${monitorName} (${String(monitor.metric)})`
      : monitorName,
  );
  add("Feature", feature);
  add(
    "Value",
    value === null
      ? null
      : `${formatMeasurement(value)}${threshold === null ? "" : ` (threshold ${formatMeasurement(threshold)})`}`,
  );
  add("Version", textAt(alert.version));
  add("Deployment", textAt(alert.deployment));
  add(
    "Segment",
    textAt(segment.name) ? `${String(segment.name)} = ${String(segment.value)}` : null,
  );
  add("Window", windowText(alert.windowStart, alert.windowEnd));
  if (event.eventType === "alert.resolved") add("Resolution", textAt(alert.resolution));
  const headline = HEADLINE[event.eventType] ?? event.eventType;
  const title =
    textAt(payload.summary) ??
    [severity ? `[${severity.toUpperCase()}]` : null, headline, model, monitorName]
      .filter(Boolean)
      .join(" ");
  return { title, severity, fields, features: [], link: textAt(payload.link) };
}

function describeRetraining(event: OutboxEventForDelivery): EventDescription {
  const payload = event.payload;
  const window = objectAt(payload.window);
  const alert = objectAt(payload.alert);
  const model = modelText(payload);
  const fields: EventDescription["fields"] = [];
  const add = (label: string, text: string | null) => {
    if (text) fields.push({ label, value: text });
  };
  add("Model", model);
  add("Version", textAt(payload.version));
  add("Window", windowText(window.start, window.end));
  add("Reason", textAt(payload.reason));
  add(
    "Triggered",
    payload.manual === true ? "by hand" : payload.manual === false ? "by policy" : null,
  );
  const features = (Array.isArray(payload.driftingFeatures) ? payload.driftingFeatures : [])
    .map(objectAt)
    .map((feature) => {
      const name = textAt(feature.feature) ?? textAt(feature.name);
      if (!name) return null;
      const statistics = Object.entries(feature)
        .filter(([key, value]) => key !== "feature" && key !== "name" && value !== null)
        .map(
          ([key, value]) =>
            `${key} ${typeof value === "number" ? formatMeasurement(value) : String(value)}`,
        );
      return statistics.length > 0 ? `${name}: ${statistics.join(", ")}` : name;
    })
    .filter((line): line is string => line !== null);
  const severity =
    alert.severity === "critical" || alert.severity === "warning" ? alert.severity : null;
  return {
    title: `Retraining requested${model ? ` for ${model}` : ""}`,
    severity,
    fields,
    features,
    link: textAt(payload.link),
  };
}

/** A message for any event type: alerts and retraining requests read well, others generically. */
export function describeEvent(event: OutboxEventForDelivery): EventDescription {
  if (event.eventType.startsWith("alert.")) return describeAlert(event);
  if (event.eventType === "retraining.requested") return describeRetraining(event);
  const resource = event.resourceId
    ? `${event.resourceType} ${event.resourceId}`
    : event.resourceType;
  return {
    title: `Plumbline: ${event.eventType}`,
    severity: null,
    fields: [
      { label: "Event", value: event.eventType },
      { label: "Resource", value: resource },
      { label: "At", value: event.createdAt.toISOString() },
    ],
    features: [],
    link: textAt(event.payload.link),
  };
}
