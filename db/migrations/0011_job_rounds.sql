CREATE TABLE "job_rounds" (
	"job" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"ran_at" timestamp with time zone NOT NULL
);
