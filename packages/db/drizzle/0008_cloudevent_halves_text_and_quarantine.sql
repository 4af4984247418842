ALTER TABLE "cloudevent_halves" ALTER COLUMN "body" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "cloudevent_halves" ADD COLUMN "quarantine_reason" text;--> statement-breakpoint
ALTER TABLE "cloudevent_halves" ADD COLUMN "quarantined_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "cloudevent_halves_api_key_quarantined_idx" ON "cloudevent_halves" USING btree ("api_key_id","quarantine_reason") WHERE "cloudevent_halves"."quarantined_at" is not null;