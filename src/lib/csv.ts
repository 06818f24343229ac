/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, a field quoted when it holds a quote, comma, CR or LF
 * (quotes doubled), and a UTF-8 byte order mark so Excel reads non-ASCII names correctly.
 *
 * Formula injection (CWE-1236): a spreadsheet runs a cell that starts with = + - @ (or a tab or CR, which
 * some readers skip before looking), so such text cells get a leading apostrophe and show as text. Numbers
 * are written as numbers and never guarded (a negative number stays a number).
 */
export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
