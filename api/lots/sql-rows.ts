/** SQL text of a timestamp as channels show it (ISO 8601, UTC, milliseconds). */
export const isoText = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
