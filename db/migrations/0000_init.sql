CREATE TABLE "item_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"section_id" uuid
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"parent_id" uuid,
	"path" text NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"patient_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "locations_kind_ck" CHECK (kind in ('warehouse', 'pharmacy', 'ward', 'ward_store', 'cabinet', 'home')),
	CONSTRAINT "locations_patient_ck" CHECK ((kind = 'home') = (patient_code is not null))
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind_ck" CHECK (kind in ('hospital_trust', 'local_health_unit', 'cancer_institute', 'other'))
);
--> statement-breakpoint
CREATE TABLE "procurement_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"fulfilled_from_id" uuid
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"vat_number" text,
	"lead_time_days" integer
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"category_id" uuid NOT NULL,
	"unit" text NOT NULL,
	"pack_size" integer DEFAULT 1 NOT NULL,
	"gtin" text,
	"supply_mode" text DEFAULT 'stock' NOT NULL,
	"reference_price" numeric(12, 4),
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_supply_mode_ck" CHECK (supply_mode in ('stock', 'pass_through')),
	CONSTRAINT "items_pack_size_ck" CHECK (pack_size > 0),
	CONSTRAINT "items_gtin_ck" CHECK (gtin is null or gtin ~ '^[0-9]{14}$')
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"lot_code" text NOT NULL,
	"expiry" date,
	"supplier_id" uuid,
	"purchase_price" numeric(12, 4),
	"status" text DEFAULT 'available' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_status_ck" CHECK (status in ('available', 'quarantined', 'recalled', 'expired'))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'user' NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_tokens_kind_ck" CHECK (kind in ('user', 'assistant'))
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"location_id" uuid,
	CONSTRAINT "role_assignments_role_ck" CHECK (role in ('admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care', 'device', 'assistant'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"locale" text DEFAULT 'it' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organisation_id" uuid,
	"actor_id" uuid,
	"channel" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"action" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "movements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reverses_id" bigint,
	"item_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"from_location_id" uuid,
	"to_location_id" uuid,
	"unit_price" numeric(12, 4),
	"document_type" text,
	"document_id" text,
	"reason" text,
	"actor_id" uuid,
	"channel" text NOT NULL,
	"idempotency_key" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "movements_kind_ck" CHECK (kind in ('receipt', 'issue', 'transfer', 'consumption', 'adjustment', 'sale', 'return', 'reversal')),
	CONSTRAINT "movements_channel_ck" CHECK (channel in ('http', 'mqtt', 'slack', 'voice', 'mcp', 'cli', 'system')),
	CONSTRAINT "movements_quantity_ck" CHECK (quantity > 0),
	CONSTRAINT "movements_sides_ck" CHECK (from_location_id is not null or to_location_id is not null),
	CONSTRAINT "movements_reversal_ck" CHECK ((kind = 'reversal') = (reverses_id is not null))
);
--> statement-breakpoint
CREATE TABLE "reorder_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"lead_time_days" numeric(8, 2) NOT NULL,
	"weekly_demand" numeric(12, 3) NOT NULL,
	"safety_stock" integer NOT NULL,
	"reorder_level" integer NOT NULL,
	"order_quantity" integer NOT NULL,
	"max_stock" integer NOT NULL,
	"service_level" numeric(5, 4),
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reorder_policies_ck" CHECK (safety_stock >= 0 and reorder_level >= 0 and order_quantity >= 0 and max_stock >= reorder_level)
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"location_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_balances_location_id_lot_id_pk" PRIMARY KEY("location_id","lot_id"),
	CONSTRAINT "stock_balances_quantity_ck" CHECK (quantity >= 0)
);
--> statement-breakpoint
ALTER TABLE "item_categories" ADD CONSTRAINT "item_categories_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_categories" ADD CONSTRAINT "item_categories_section_id_procurement_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."procurement_sections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_parent_id_locations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_sections" ADD CONSTRAINT "procurement_sections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_sections" ADD CONSTRAINT "procurement_sections_fulfilled_from_id_locations_id_fk" FOREIGN KEY ("fulfilled_from_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppliers" ADD CONSTRAINT "suppliers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_category_id_item_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."item_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_reverses_id_movements_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_from_location_id_locations_id_fk" FOREIGN KEY ("from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_to_location_id_locations_id_fk" FOREIGN KEY ("to_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD CONSTRAINT "reorder_policies_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorder_policies" ADD CONSTRAINT "reorder_policies_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_org_code_uq" ON "item_categories" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_org_code_uq" ON "locations" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE INDEX "locations_parent_ix" ON "locations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "locations_path_ix" ON "locations" USING btree ("path");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_code_uq" ON "organisations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "sections_org_code_uq" ON "procurement_sections" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_org_code_uq" ON "suppliers" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "items_org_code_uq" ON "items" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "items_org_gtin_uq" ON "items" USING btree ("organisation_id","gtin");--> statement-breakpoint
CREATE INDEX "items_category_ix" ON "items" USING btree ("category_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lots_item_code_uq" ON "lots" USING btree ("item_id","lot_code");--> statement-breakpoint
CREATE INDEX "lots_expiry_ix" ON "lots" USING btree ("expiry");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "role_assignments_user_ix" ON "role_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "audit_log_entity_ix" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_org_at_ix" ON "audit_log" USING btree ("organisation_id","at");--> statement-breakpoint
CREATE INDEX "movements_lot_ix" ON "movements" USING btree ("lot_id","id");--> statement-breakpoint
CREATE INDEX "movements_from_ix" ON "movements" USING btree ("from_location_id","occurred_at");--> statement-breakpoint
CREATE INDEX "movements_to_ix" ON "movements" USING btree ("to_location_id","occurred_at");--> statement-breakpoint
CREATE INDEX "movements_item_ix" ON "movements" USING btree ("item_id","occurred_at");--> statement-breakpoint
CREATE INDEX "movements_org_time_ix" ON "movements" USING btree ("organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "movements_document_ix" ON "movements" USING btree ("document_type","document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "movements_reverses_uq" ON "movements" USING btree ("reverses_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reorder_policies_location_item_uq" ON "reorder_policies" USING btree ("location_id","item_id");--> statement-breakpoint
CREATE INDEX "stock_balances_item_ix" ON "stock_balances" USING btree ("item_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_balances_lot_ix" ON "stock_balances" USING btree ("lot_id");