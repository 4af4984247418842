import { Badge } from "~/components/ui/badge";

import { ALL_EVENTS } from "./webhook-event-types";

const SHOWN = 3;

/** A subscription's event types: "All events", or the first few and how many more. */
export function WebhookEventBadges({ eventTypes }: { eventTypes: string[] }) {
  if (eventTypes.includes(ALL_EVENTS)) {
    return (
      <Badge tone="accent" data-testid="webhook-events">
        All events
      </Badge>
    );
  }
  const hidden = eventTypes.slice(SHOWN);
  return (
    <div className="flex max-w-80 flex-wrap gap-1" data-testid="webhook-events">
      {eventTypes.slice(0, SHOWN).map((type) => (
        <Badge key={type} className="font-mono">
          {type}
        </Badge>
      ))}
      {hidden.length > 0 ? (
        <span title={hidden.join(", ")} className="inline-flex">
          <Badge>
            +{hidden.length} more<span className="sr-only">: {hidden.join(", ")}</span>
          </Badge>
        </span>
      ) : null}
    </div>
  );
}
