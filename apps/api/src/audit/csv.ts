/**
 * CSV (RFC 4180): fields separated by commas, records by CRLF; a field with a comma, quote, CR or LF is quoted and
 * its quotes doubled. A text field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet
 * never runs what a citizen or handler typed as a formula (OWASP "CSV injection"). null and undefined are empty.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** `temporalEventId` → `temporal_event_id`: CSV headers in snake case. */
export function csvHeader(columns: readonly string[]): string {
  return csvRecord(columns.map((column) => column.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)));
}
