const romeDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) in Italy at `at`: expiry is a date, judged by the hospital's day. */
export function localDate(at: Date): string {
  return romeDate.format(at);
}

/** A timestamp as channels show it (ISO 8601, UTC), null kept. */
export function iso(at: Date | string): string;
export function iso(at: Date | string | null): string | null;
export function iso(at: Date | string | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
