import type { Database } from "@plumbline/db/client";
import { INGEST_NOTIFY_CHANNEL } from "@plumbline/db/ingest-notifications";

type SqlClient = Database["$client"];
type Listener = () => void;

/**
 * One LISTEN on `plumbline_ingest` per database pool (so one per process), fanned out in memory
 * to the subscribers of each model id. postgres.js keeps the LISTEN on a connection of its own
 * and re-issues it after a reconnect; notifications sent while it was down are lost, so every
 * subscriber hears a change then, to re-read what it may have missed.
 */
export class IngestNotificationHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private listening: Promise<unknown> | null = null;
  private connectedOnce = false;

  constructor(private readonly sql: SqlClient) {}

  /** Calls `listener` after each commit of ingest data for `modelId`; resolves once listening. */
  async subscribe(modelId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(modelId);
    if (!set) this.listeners.set(modelId, (set = new Set()));
    set.add(listener);
    const unsubscribe = () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(modelId) === set) this.listeners.delete(modelId);
    };
    try {
      await this.listen();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Subscribers currently registered for `modelId` (for tests and metrics). */
  subscriberCount(modelId: string): number {
    return this.listeners.get(modelId)?.size ?? 0;
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.sql
      .listen(
        INGEST_NOTIFY_CHANNEL,
        (payload) => this.dispatch(payload),
        () => {
          if (this.connectedOnce) this.dispatchToAll();
          this.connectedOnce = true;
        },
      )
      .catch((error: unknown) => {
        // The next subscriber tries again instead of inheriting a failed LISTEN.
        this.listening = null;
        throw error;
      });
    return this.listening;
  }

  private dispatch(modelId: string) {
    for (const listener of this.listeners.get(modelId) ?? []) listener();
  }

  private dispatchToAll() {
    for (const set of this.listeners.values()) for (const listener of set) listener();
  }
}

const hubs = new WeakMap<SqlClient, IngestNotificationHub>();

/** The hub of a database pool, created on first use. */
export function ingestNotificationHubOf(db: Database): IngestNotificationHub {
  const sql = db.$client;
  let hub = hubs.get(sql);
  if (!hub) hubs.set(sql, (hub = new IngestNotificationHub(sql)));
  return hub;
}
