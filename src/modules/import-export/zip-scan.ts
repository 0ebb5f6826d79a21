import zlib from 'node:zlib';

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

const ROW = /<(?:\w+:)?row\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
const VALUE = /<(?:\w+:)?(?:v|t)\b[^>]*>[^<]/;

/**
 * What an .xlsx holds before parsing it: the total uncompressed size, and the rows with a value of
 * its fullest worksheet (formatted but empty rows, which Excel leaves after the data, do not count).
 */
export function scanXlsx(buf: Buffer, maxUncompressed: number): { uncompressedBytes: number; rows: number } {
  const entries = zipEntries(buf);
  const uncompressedBytes = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (uncompressedBytes > maxUncompressed) return { uncompressedBytes, rows: 0 };
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new ZipError('no workbook in the archive');
  let rows = 0;
  for (const entry of entries) {
    const data = zipEntryData(buf, entry); // every entry: verifies the declared sizes exceljs will trust
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) continue;
    let count = 0;
    for (const m of data.toString('utf8').matchAll(ROW)) if (m[1] && VALUE.test(m[1])) count++;
    rows = Math.max(rows, count);
  }
  return { uncompressedBytes, rows };
}
