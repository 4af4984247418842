import type { RouterOutputs } from "@plumbline/api";

import { Badge } from "~/components/ui/badge";

import { WebhookUrl } from "./webhook-url";

export type WebhookChannel = RouterOutputs["webhooks"]["list"][number]["channel"];

/** How each channel sends, in the words the settings page uses. */
export const WEBHOOK_CHANNELS: Record<
  WebhookChannel,
  { label: string; short: string; description: string }
> = {
  webhook: {
    label: "Plumbline webhook",
    short: "Webhook",
    description: "Signed JSON to your endpoint (HMAC-SHA256), retried with backoff.",
  },
  slack: {
    label: "Slack-compatible",
    short: "Slack",
    description:
      "A readable message to an incoming-webhook URL (Slack, Mattermost, Rocket.Chat), with a link back.",
  },
  email: {
    label: "Email",
    short: "Email",
    description: "A plain-text email over the deployment's SMTP server (PLUMBLINE_SMTP_URL).",
  },
};

export const WEBHOOK_CHANNEL_ORDER: WebhookChannel[] = ["webhook", "slack", "email"];

export function WebhookChannelBadge({ channel }: { channel: WebhookChannel }) {
  return (
    <Badge tone={channel === "webhook" ? "neutral" : "accent"} data-testid="webhook-channel">
      {WEBHOOK_CHANNELS[channel].short}
    </Badge>
  );
}

/** An email channel's recipients (its `mailto:` URI), else the URL. */
export function WebhookDestination({ channel, url }: { channel: WebhookChannel; url: string }) {
  if (channel === "email")
    return (
      <>
        {decodeURIComponent(url.replace(/^mailto:/i, ""))
          .split(",")
          .join(", ")}
      </>
    );
  return <WebhookUrl url={url} />;
}
