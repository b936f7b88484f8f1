-- A request's origin becomes data: {"kind":"manual"}, {"kind":"declared","text":…} (the emitter's own words) or
-- {"kind":"under_stock", trigger, onHand, onOrder, R, L, W, B, maxStock, …} (the figures the check wrote as a JSON string).
CREATE FUNCTION scorta_request_origin_0013(origin text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF origin = 'manual' THEN RETURN '{"kind":"manual"}'::jsonb; END IF;
  BEGIN
    IF jsonb_typeof(origin::jsonb) = 'object' AND (origin::jsonb) ? 'R' THEN
      RETURN jsonb_build_object('kind', 'under_stock') || (origin::jsonb - 'kind');
    END IF;
  EXCEPTION WHEN invalid_text_representation THEN NULL;
  END;
  RETURN jsonb_build_object('kind', 'declared', 'text', origin);
END $$;--> statement-breakpoint
ALTER TABLE "ward_requests" ALTER COLUMN "origin" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "ward_requests" ALTER COLUMN "origin" SET DATA TYPE jsonb USING scorta_request_origin_0013("origin");--> statement-breakpoint
ALTER TABLE "ward_requests" ALTER COLUMN "origin" SET DEFAULT '{"kind":"manual"}'::jsonb;--> statement-breakpoint
DROP FUNCTION scorta_request_origin_0013(text);
