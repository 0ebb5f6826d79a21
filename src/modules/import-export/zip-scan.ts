import zlib from 'node:zlib';
import { SaxesParser } from 'saxes';

/**
 * Just enough of the ZIP format to look inside an .xlsx before a spreadsheet library parses it:
 * the entries' sizes (a small upload must not expand into gigabytes — a "zip bomb") and the
 * worksheets' rows, counted so that a sheet over the row limit is refused before it is read.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipError extends Error {}

export function zipEntries(buf: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) throw new ZipError('not a ZIP archive');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipError('ZIP64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new ZipError('damaged ZIP central directory');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localHeaderOffset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) if (buf.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}

/** An entry's bytes, never more than it declares (a lying header fails instead of expanding). */
export function zipEntryData(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) throw new ZipError(`damaged ZIP entry ${entry.name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipError(`unsupported ZIP compression method ${entry.method}`);
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch {
    throw new ZipError(`ZIP entry ${entry.name} is damaged or larger than it declares`);
  }
}

/** What the scan may spend: bytes once inflated, and a moment by which it must be done. */
export interface ScanBudget {
  maxUncompressedBytes: number;
  /** `performance.now()` by which the scan gives up (checked between chunks of XML). */
  deadline: number;
}

/** The scan refused the file: it is larger, or costlier to read, than its budget allows. */
export class ScanBudgetError extends ZipError {
  constructor(
    readonly reason: 'uncompressed' | 'time',
    /** The archive's declared uncompressed size. */
    readonly bytes = 0,
  ) {
    super(reason === 'time' ? 'the archive took longer to scan than its budget' : 'the archive expands beyond its budget');
  }
}

const CHUNK = 64 * 1024;

/** What a worksheet holds, before a spreadsheet library builds its cells. */
export interface SheetShape {
  /** Rows with a value; rows a merged range reaches count too (a reader repeats its value there). */
  rows: number;
  /** Cells inside merged ranges: a reader creates each (a few bytes of `<mergeCell ref="A1:XFD1048576"/>` are 17 billion cells). */
  mergedCells: number;
}

const COLUMN_ROW = /^([A-Z]{1,3})(\d{1,7})$/;
const columnNumber = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

/** The rows and cells of a range such as `A1:M1`; null when it is not one. */
function rangeArea(ref: string): { lastRow: number; cells: number } | null {
  const [from, to = from] = ref.split(':');
  const a = COLUMN_ROW.exec(from);
  const b = COLUMN_ROW.exec(to);
  if (!a || !b) return null;
  const rows = Math.abs(Number(b[2]) - Number(a[2])) + 1;
  const columns = Math.abs(columnNumber(b[1]) - columnNumber(a[1])) + 1;
  return { lastRow: Math.max(Number(a[2]), Number(b[2])), cells: rows * columns };
}

/**
 * The shape of one worksheet, read by a streaming XML parser: linear in the size of the XML
 * whatever it holds, and refusing what is not well-formed XML (a backtracking regular expression
 * took minutes over crafted sheets of a few KB). A row counts when a `<v>` or `<t>` in it has text.
 */
export function sheetShape(xml: string, deadline: number): SheetShape {
  const parser = new SaxesParser({ position: false });
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  let rows = 0;
  let mergedCells = 0;
  let mergedRows = 0;
  let inRow = false;
  let rowHasValue = false;
  let inValue = false;
  parser.on('doctype', () => {
    throw new ZipError('a worksheet with a DOCTYPE'); // never in an .xlsx; entity expansion starts there
  });
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    if (name === 'row') {
      inRow = true;
      rowHasValue = false;
    } else if (inRow && (name === 'v' || name === 't')) inValue = true;
    else if (name === 'mergeCell' && typeof tag.attributes.ref === 'string') {
      const area = rangeArea(tag.attributes.ref);
      if (area) {
        mergedCells += area.cells;
        mergedRows = Math.max(mergedRows, area.lastRow);
      }
    }
  });
  const text = (t: string) => {
    if (inValue && t.length > 0) rowHasValue = true;
  };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    if (name === 'row') {
      if (rowHasValue) rows++;
      inRow = false;
    } else if (name === 'v' || name === 't') inValue = false;
  });
  try {
    for (let at = 0; at < xml.length; at += CHUNK) {
      if (performance.now() > deadline) throw new ScanBudgetError('time');
      parser.write(xml.slice(at, at + CHUNK));
    }
    parser.close();
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError(`a worksheet is not well-formed XML: ${(e as Error).message}`);
  }
  return { rows: Math.max(rows, mergedRows), mergedCells };
}

/**
 * What an .xlsx holds before parsing it: the total uncompressed size, the rows with a value of its
 * fullest worksheet (formatted but empty rows, which Excel leaves after the data, do not count) and
 * the merged cells of all. An archive over the uncompressed budget is refused before anything is inflated.
 */
export function scanXlsx(buf: Buffer, budget: ScanBudget): { uncompressedBytes: number } & SheetShape {
  const entries = zipEntries(buf);
  const uncompressedBytes = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (uncompressedBytes > budget.maxUncompressedBytes) throw new ScanBudgetError('uncompressed', uncompressedBytes);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new ZipError('no workbook in the archive');
  let rows = 0;
  let mergedCells = 0;
  for (const entry of entries) {
    if (performance.now() > budget.deadline) throw new ScanBudgetError('time');
    const data = zipEntryData(buf, entry); // every entry: verifies the declared sizes exceljs will trust
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) continue;
    const shape = sheetShape(data.toString('utf8'), budget.deadline);
    rows = Math.max(rows, shape.rows);
    mergedCells += shape.mergedCells;
  }
  return { uncompressedBytes, rows, mergedCells };
}
