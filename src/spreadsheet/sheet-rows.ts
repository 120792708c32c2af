/** One row of a sheet as text cells, before the header is applied. */
export interface RawRow {
  /** The spreadsheet's own 1-based row number. */
  rowNumber: number;
  /** Cell texts by 0-based column index; missing entries are blank cells. */
  cells: string[];
}

export type RawRowSource = AsyncIterable<RawRow>;
