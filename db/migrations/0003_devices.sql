CREATE TABLE "device_consumption_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"device_kind" text NOT NULL,
	"event" text NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "device_rules_quantity_ck" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "device_messages" (
	"device_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"topic" text NOT NULL,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"reply" jsonb NOT NULL,
	CONSTRAINT "device_messages_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"location_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"expected_interval_seconds" integer DEFAULT 3600 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"online" text DEFAULT 'unknown' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_kind_ck" CHECK (kind in ('smart_cabinet', 'smart_shelf', 'rfid_cabinet', 'glucometer', 'insulin_pump', 'oxygen_concentrator', 'telehealth')),
	CONSTRAINT "devices_status_ck" CHECK (status in ('active', 'revoked'))
);
--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "unit_weight_grams" numeric(10, 3);--> statement-breakpoint
ALTER TABLE "ward_requests" ADD COLUMN "auto_key" text;--> statement-breakpoint
ALTER TABLE "device_consumption_rules" ADD CONSTRAINT "device_consumption_rules_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_consumption_rules" ADD CONSTRAINT "device_consumption_rules_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_messages" ADD CONSTRAINT "device_messages_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_rules_uq" ON "device_consumption_rules" USING btree ("organisation_id","device_kind","event","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_code_uq" ON "devices" USING btree ("code");--> statement-breakpoint
CREATE INDEX "devices_location_ix" ON "devices" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ward_requests_auto_uq" ON "ward_requests" USING btree ("auto_key") WHERE auto_key is not null and status in ('submitted', 'in_progress');