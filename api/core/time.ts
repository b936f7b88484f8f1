const romeDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) in Italy at `at`: expiry is a date, judged by the hospital's day. */
export function localDate(at: Date): string {
  return romeDate.format(at);
}
