-- The movement ledger and the audit log are append-only in the database itself: a correction is a new
-- row (a reversal, an adjustment), never an edit. No code path updates or deletes these rows (a reversal
-- is a new movement pointing at the one it reverses), so every UPDATE, DELETE and TRUNCATE is refused.
CREATE FUNCTION "scorta_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'scorta: % is append-only, % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'Record a reversal or an adjustment instead.';
END
$$;--> statement-breakpoint
CREATE TRIGGER "movements_append_only" BEFORE UPDATE OR DELETE ON "movements" FOR EACH ROW EXECUTE FUNCTION "scorta_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "movements_no_truncate" BEFORE TRUNCATE ON "movements" FOR EACH STATEMENT EXECUTE FUNCTION "scorta_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "scorta_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "scorta_refuse_change"();
