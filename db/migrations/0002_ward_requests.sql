CREATE TABLE "document_counters" (
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_counters_organisation_id_kind_year_pk" PRIMARY KEY("organisation_id","kind","year")
);
--> statement-breakpoint
CREATE TABLE "issue_note_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_note_id" uuid NOT NULL,
	"request_line_id" uuid,
	"item_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"movement_id" bigint NOT NULL,
	CONSTRAINT "issue_note_lines_quantity_ck" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "issue_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" text NOT NULL,
	"request_id" uuid,
	"from_location_id" uuid NOT NULL,
	"to_location_id" uuid NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"taken_by" uuid,
	"taken_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "issue_notes_status_ck" CHECK (status in ('issued', 'taken_in_charge', 'reversed'))
);
--> statement-breakpoint
CREATE TABLE "picking_list_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"picking_list_id" uuid NOT NULL,
	"request_line_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "picking_list_lines_quantity_ck" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "picking_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" text NOT NULL,
	"request_id" uuid NOT NULL,
	"from_location_id" uuid NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"issue_note_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "picking_lists_status_ck" CHECK (status in ('proposed', 'confirmed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"request_line_id" uuid,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"quantity_received" integer DEFAULT 0 NOT NULL,
	"unit_price" numeric(12, 4),
	CONSTRAINT "purchase_order_lines_quantity_ck" CHECK (quantity > 0 and quantity_received between 0 and quantity)
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" text NOT NULL,
	"supplier_id" uuid NOT NULL,
	"deliver_to_id" uuid NOT NULL,
	"status" text DEFAULT 'PL' NOT NULL,
	"expected_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "purchase_orders_status_ck" CHECK (status in ('PL', 'FP', 'RR', 'OP', 'OD', 'CL', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "request_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"section_id" uuid NOT NULL,
	"status" text DEFAULT 'routed' NOT NULL,
	"quantity_requested" integer NOT NULL,
	"quantity_approved" integer,
	"quantity_issued" integer DEFAULT 0 NOT NULL,
	"decision" text,
	"decision_reason" text,
	"evaluated_by" uuid,
	"evaluated_at" timestamp with time zone,
	"fulfilled_before_evaluation" boolean DEFAULT false NOT NULL,
	"unit_price" numeric(12, 4),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_lines_status_ck" CHECK (status in ('routed', 'approved', 'rejected', 'picking', 'ordered', 'partially_issued', 'issued', 'cancelled')),
	CONSTRAINT "request_lines_quantities_ck" CHECK (quantity_requested > 0 and quantity_issued >= 0 and (quantity_approved is null or quantity_approved between 0 and quantity_requested))
);
--> statement-breakpoint
CREATE TABLE "supply_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"unit_price" numeric(12, 4) NOT NULL,
	"quantity" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	CONSTRAINT "supply_contracts_ck" CHECK (quantity > 0 and valid_to >= valid_from)
);
--> statement-breakpoint
CREATE TABLE "ward_budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "ward_budgets_period_ck" CHECK (period_end >= period_start and amount >= 0)
);
--> statement-breakpoint
CREATE TABLE "ward_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" text NOT NULL,
	"destination_id" uuid NOT NULL,
	"urgency" text NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"needed_by" timestamp with time zone,
	"note" text,
	"origin" text DEFAULT 'manual' NOT NULL,
	"created_by" uuid,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ward_requests_urgency_ck" CHECK (urgency in ('normal', 'urgent', 'emergency')),
	CONSTRAINT "ward_requests_status_ck" CHECK (status in ('submitted', 'in_progress', 'completed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "locations" DROP CONSTRAINT "locations_kind_ck";--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "supplier_id" uuid;--> statement-breakpoint
ALTER TABLE "document_counters" ADD CONSTRAINT "document_counters_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_note_lines" ADD CONSTRAINT "issue_note_lines_issue_note_id_issue_notes_id_fk" FOREIGN KEY ("issue_note_id") REFERENCES "public"."issue_notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_note_lines" ADD CONSTRAINT "issue_note_lines_request_line_id_request_lines_id_fk" FOREIGN KEY ("request_line_id") REFERENCES "public"."request_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_note_lines" ADD CONSTRAINT "issue_note_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_note_lines" ADD CONSTRAINT "issue_note_lines_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_note_lines" ADD CONSTRAINT "issue_note_lines_movement_id_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_request_id_ward_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."ward_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_from_location_id_locations_id_fk" FOREIGN KEY ("from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_to_location_id_locations_id_fk" FOREIGN KEY ("to_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_notes" ADD CONSTRAINT "issue_notes_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_list_lines" ADD CONSTRAINT "picking_list_lines_picking_list_id_picking_lists_id_fk" FOREIGN KEY ("picking_list_id") REFERENCES "public"."picking_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_list_lines" ADD CONSTRAINT "picking_list_lines_request_line_id_request_lines_id_fk" FOREIGN KEY ("request_line_id") REFERENCES "public"."request_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_list_lines" ADD CONSTRAINT "picking_list_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_list_lines" ADD CONSTRAINT "picking_list_lines_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_lists" ADD CONSTRAINT "picking_lists_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_lists" ADD CONSTRAINT "picking_lists_request_id_ward_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."ward_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_lists" ADD CONSTRAINT "picking_lists_from_location_id_locations_id_fk" FOREIGN KEY ("from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_lists" ADD CONSTRAINT "picking_lists_issue_note_id_issue_notes_id_fk" FOREIGN KEY ("issue_note_id") REFERENCES "public"."issue_notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "picking_lists" ADD CONSTRAINT "picking_lists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_request_line_id_request_lines_id_fk" FOREIGN KEY ("request_line_id") REFERENCES "public"."request_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_deliver_to_id_locations_id_fk" FOREIGN KEY ("deliver_to_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_lines" ADD CONSTRAINT "request_lines_request_id_ward_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."ward_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_lines" ADD CONSTRAINT "request_lines_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_lines" ADD CONSTRAINT "request_lines_section_id_procurement_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."procurement_sections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_lines" ADD CONSTRAINT "request_lines_evaluated_by_users_id_fk" FOREIGN KEY ("evaluated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_contracts" ADD CONSTRAINT "supply_contracts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_contracts" ADD CONSTRAINT "supply_contracts_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_contracts" ADD CONSTRAINT "supply_contracts_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_budgets" ADD CONSTRAINT "ward_budgets_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_requests" ADD CONSTRAINT "ward_requests_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_requests" ADD CONSTRAINT "ward_requests_destination_id_locations_id_fk" FOREIGN KEY ("destination_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_requests" ADD CONSTRAINT "ward_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_note_lines_note_ix" ON "issue_note_lines" USING btree ("issue_note_id");--> statement-breakpoint
CREATE INDEX "issue_note_lines_request_line_ix" ON "issue_note_lines" USING btree ("request_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_notes_number_uq" ON "issue_notes" USING btree ("organisation_id","number");--> statement-breakpoint
CREATE INDEX "issue_notes_request_ix" ON "issue_notes" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "issue_notes_to_ix" ON "issue_notes" USING btree ("to_location_id","status");--> statement-breakpoint
CREATE INDEX "picking_list_lines_list_ix" ON "picking_list_lines" USING btree ("picking_list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "picking_lists_number_uq" ON "picking_lists" USING btree ("organisation_id","number");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_po_ix" ON "purchase_order_lines" USING btree ("purchase_order_id");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_request_line_ix" ON "purchase_order_lines" USING btree ("request_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_number_uq" ON "purchase_orders" USING btree ("organisation_id","number");--> statement-breakpoint
CREATE INDEX "purchase_orders_open_ix" ON "purchase_orders" USING btree ("organisation_id","status","expected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "request_lines_no_uq" ON "request_lines" USING btree ("request_id","line_no");--> statement-breakpoint
CREATE INDEX "request_lines_queue_ix" ON "request_lines" USING btree ("section_id","status");--> statement-breakpoint
CREATE INDEX "request_lines_item_ix" ON "request_lines" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "supply_contracts_item_ix" ON "supply_contracts" USING btree ("item_id","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "ward_budgets_period_uq" ON "ward_budgets" USING btree ("location_id","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "ward_requests_number_uq" ON "ward_requests" USING btree ("organisation_id","number");--> statement-breakpoint
CREATE INDEX "ward_requests_destination_ix" ON "ward_requests" USING btree ("destination_id","status");--> statement-breakpoint
CREATE INDEX "ward_requests_open_ix" ON "ward_requests" USING btree ("organisation_id","status","needed_by");--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_kind_ck" CHECK (kind in ('warehouse', 'pharmacy', 'ward', 'ward_store', 'cabinet', 'home', 'transit'));