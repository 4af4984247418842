import type { OutboxEventForDelivery } from "../webhooks/post-webhook";
import { describeEvent } from "./describe-event";

export interface EmailMessage {
  subject: string;
  text: string;
}

/** A plain-text email: the title as subject, the facts one per line, the features, the link. */
export function emailMessage(event: OutboxEventForDelivery): EmailMessage {
  const description = describeEvent(event);
  const width = Math.max(0, ...description.fields.map((field) => field.label.length));
  const lines = [
    description.title,
    "",
    ...description.fields.map((field) => `${`${field.label}:`.padEnd(width + 2)}${field.value}`),
  ];
  if (description.features.length > 0) {
    lines.push("", "Drifting features:", ...description.features.map((line) => `  - ${line}`));
  }
  if (description.link) lines.push("", `Open in Plumbline: ${description.link}`);
  lines.push(
    "",
    "--",
    `Sent by Plumbline for event ${event.id} (${event.eventType}). Change where notifications go in the project's settings.`,
  );
  // A subject is one line: a title that came from stored text must not smuggle in a header.
  const subject = description.title.replace(/[\r\n]+/g, " ").slice(0, 200);
  return { subject, text: `${lines.join("\n")}\n` };
}
