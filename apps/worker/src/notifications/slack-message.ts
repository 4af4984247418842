import type { OutboxEventForDelivery } from "../webhooks/post-webhook";
import { describeEvent } from "./describe-event";

/**
 * A Slack incoming-webhook body: `text` (the notification's fallback, shown where blocks are
 * not) and Block Kit `blocks` (a header, the facts as section fields, the drifting features, and
 * the link). Any receiver that accepts Slack's format (Mattermost, Rocket.Chat, Discord's
 * `/slack` endpoint) reads it too.
 */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

// Slack's limits: a header's text, a section's text, a field's text, fields per section.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;

/** `&`, `<` and `>` are Slack's markup (`<!channel>` would ping everyone): stored text is escaped. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const SEVERITY_MARK = { critical: ":red_circle:", warning: ":large_orange_circle:" } as const;

export function slackMessage(event: OutboxEventForDelivery): SlackMessage {
  const description = describeEvent(event);
  const mark = description.severity ? `${SEVERITY_MARK[description.severity]} ` : "";
  const blocks: Record<string, unknown>[] = [
    {
      type: "header",
      text: { type: "plain_text", text: clip(description.title, HEADER_MAX), emoji: true },
    },
  ];
  const fields = description.fields.slice(0, FIELDS_PER_SECTION).map((field) => ({
    type: "mrkdwn",
    text: clip(`*${escapeSlack(field.label)}*\n${escapeSlack(field.value)}`, FIELD_MAX),
  }));
  if (fields.length > 0) blocks.push({ type: "section", fields });
  if (description.features.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `*Drifting features*\n${description.features.map((line) => `• ${escapeSlack(line)}`).join("\n")}`,
          SECTION_MAX,
        ),
      },
    });
  }
  if (description.link) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `<${escapeSlack(description.link)}|Open in Plumbline>` },
    });
  }
  const text = `${mark}${escapeSlack(description.title)}${description.link ? ` <${escapeSlack(description.link)}|Open in Plumbline>` : ""}`;
  return { text, blocks };
}
