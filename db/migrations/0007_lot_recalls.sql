CREATE TABLE "lot_recalls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text NOT NULL,
	"reference" text,
	"ledger_mark" bigint NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_by" uuid,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"close_note" text,
	CONSTRAINT "lot_recalls_kind_ck" CHECK (kind in ('quarantine', 'recall')),
	CONSTRAINT "lot_recalls_status_ck" CHECK (status in ('open', 'closed', 'lifted', 'escalated')),
	CONSTRAINT "lot_recalls_closed_ck" CHECK ((status = 'open') = (closed_at is null))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"location_id" uuid NOT NULL,
	"device_id" uuid,
	"recall_id" uuid,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "notifications_kind_ck" CHECK (kind in ('recall', 'quarantine', 'quarantine_lifted', 'recall_closed')),
	CONSTRAINT "notifications_target_ck" CHECK (target in ('chat', 'dashboard', 'device')),
	CONSTRAINT "notifications_device_ck" CHECK ((target = 'device') = (device_id is not null))
);
--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recall_id_lot_recalls_id_fk" FOREIGN KEY ("recall_id") REFERENCES "public"."lot_recalls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lot_recalls_open_uq" ON "lot_recalls" USING btree ("lot_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "lot_recalls_org_opened_ix" ON "lot_recalls" USING btree ("organisation_id","opened_at");--> statement-breakpoint
CREATE INDEX "notifications_pending_ix" ON "notifications" USING btree ("target","created_at") WHERE delivered_at is null;--> statement-breakpoint
CREATE INDEX "notifications_location_ix" ON "notifications" USING btree ("location_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_recall_ix" ON "notifications" USING btree ("recall_id");