DROP INDEX "movements_from_ix";--> statement-breakpoint
DROP INDEX "movements_to_ix";--> statement-breakpoint
DROP INDEX "movements_document_ix";--> statement-breakpoint
DROP INDEX "movements_reverses_uq";--> statement-breakpoint
CREATE INDEX "movements_from_ix" ON "movements" USING btree ("from_location_id","occurred_at") WHERE from_location_id is not null;--> statement-breakpoint
CREATE INDEX "movements_to_ix" ON "movements" USING btree ("to_location_id","occurred_at") WHERE to_location_id is not null;--> statement-breakpoint
CREATE INDEX "movements_document_ix" ON "movements" USING btree ("document_type","document_id") WHERE document_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "movements_reverses_uq" ON "movements" USING btree ("reverses_id") WHERE reverses_id is not null;