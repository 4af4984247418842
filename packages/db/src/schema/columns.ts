import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/** A UUID primary key. Rows get time-ordered UUIDv7 ids from Postgres 18 or from the app. */
export const uuidPrimaryKey = () =>
  uuid()
    .primaryKey()
    .default(sql`gen_random_uuid()`);

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
