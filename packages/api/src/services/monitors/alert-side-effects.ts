import type { Transaction } from "@plumbline/db/client";
import type { Alert, Monitor } from "@plumbline/db/schema";
import type { AlertNotification } from "@plumbline/monitors";

/**
 * What an alert change sets off beyond its own rows: the notification to the monitor's
 * channels, and the model's retraining trigger. Both write outbox rows inside the evaluation's
 * transaction (so a worker killed mid-way leaves neither), and return the outbox event id, or
 * null when nothing was enqueued (no route for the severity, no policy, a cool-down).
 *
 * The notification and retraining services (`services/alerts/notify-alert.ts`) implement this;
 * the evaluation pass takes them as an option so that the two sides stay separate modules.
 */
export interface AlertSideEffects {
  enqueueAlertNotification(
    tx: Transaction,
    input: { alert: Alert; monitor: Monitor; notification: AlertNotification; now: Date },
  ): Promise<string | null>;
  /** Called when an alert fires or escalates. */
  maybeTriggerRetraining(
    tx: Transaction,
    input: { alert: Alert; monitor: Monitor; now: Date },
  ): Promise<string | null>;
}
