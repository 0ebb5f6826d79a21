import path from 'node:path';
import { badInput } from '../../common/domain-error.js';
import { countCsvRecords, readCsvGrid, readXlsxGrids, SheetReadError, type SheetGrid } from './sheet-readers.js';
import { decodeText, EncodingError, type TextEncoding } from './text-encoding.js';
import { scanXlsx, ZipError } from './zip-scan.js';

export type SheetFormat = 'xlsx' | 'csv';

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}

export interface SheetFile {
  format: SheetFormat;
  encoding: TextEncoding | null;
  grids: SheetGrid[];
}

const MB = 1024 * 1024;
export const formatBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(n % MB === 0 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** The size limit, checked before anything else is done with the file (also from a base64 length). */
export function requireWithinSize(bytes: number, limits: ImportLimits): void {
  if (bytes > limits.maxBytes)
    throw badInput('file', `文件大小 ${formatBytes(bytes)}，超过导入上限 ${formatBytes(limits.maxBytes)}（IMPORT_MAX_BYTES）：请拆分文件后分别导入，或请系统管理员调整上限`, {
      limit: 'IMPORT_MAX_BYTES',
      maxBytes: limits.maxBytes,
      bytes,
    });
}

function requireWithinRows(rows: number, limits: ImportLimits): void {
  if (rows > limits.maxRows)
    throw badInput('file', `文件有 ${rows} 行，超过导入上限 ${limits.maxRows} 行（IMPORT_MAX_ROWS）：请拆分文件后分别导入，或请系统管理员调整上限`, {
      limit: 'IMPORT_MAX_ROWS',
      maxRows: limits.maxRows,
      rows,
    });
}

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isOle = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

/**
 * Reads an uploaded list file: .xlsx by its content (a ZIP), anything else as CSV text in a detected
 * encoding. The limits are checked before the cells are parsed: size first, then the rows counted
 * cheaply (CSV: records; xlsx: rows with a value, from the archive, which is also checked not to
 * expand beyond reason).
 */
export async function readSheetFile(fileName: string, content: Buffer, limits: ImportLimits): Promise<SheetFile> {
  requireWithinSize(content.length, limits);
  const ext = path.extname(fileName).toLowerCase();
  if (content.length === 0) throw badInput('file', '文件是空的');
  if (isOle(content))
    throw badInput('file', '不支持旧版 Excel 97-2003（.xls）文件或加密的工作簿：请在 Excel 中“另存为” .xlsx 或“CSV UTF-8（逗号分隔）”后再导入');
  if (isZip(content)) {
    let scan: { uncompressedBytes: number; rows: number };
    try {
      scan = scanXlsx(content, limits.maxBytes * 20);
    } catch (e) {
      if (e instanceof ZipError) throw badInput('file', '无法读取该 .xlsx 文件（文件损坏，或不是 Excel 工作簿）：请用 Excel 打开后重新另存为 .xlsx');
      throw e;
    }
    if (scan.uncompressedBytes > limits.maxBytes * 20)
      throw badInput('file', `该 .xlsx 解压后有 ${formatBytes(scan.uncompressedBytes)}，超过导入上限 ${formatBytes(limits.maxBytes)}（IMPORT_MAX_BYTES）的 20 倍：请检查文件内容或拆分后导入`, {
        limit: 'IMPORT_MAX_BYTES',
        maxBytes: limits.maxBytes,
      });
    requireWithinRows(scan.rows, limits);
    try {
      return { format: 'xlsx', encoding: null, grids: await readXlsxGrids(content) };
    } catch (e) {
      if (e instanceof SheetReadError) throw badInput('file', e.message);
      throw e;
    }
  }
  if (ext === '.xlsx' || ext === '.xlsm') throw badInput('file', `“${fileName}”不是有效的 .xlsx 文件：请用 Excel 打开后重新另存为 .xlsx`);
  let decoded: { text: string; encoding: TextEncoding };
  try {
    decoded = decodeText(content);
  } catch (e) {
    if (e instanceof EncodingError) throw badInput('file', e.message);
    throw e;
  }
  if (decoded.text.includes('\u0000')) throw badInput('file', `“${fileName}”既不是 .xlsx 工作簿，也不是 CSV 文本文件：请上传 .xlsx 或 .csv`);
  requireWithinRows(countCsvRecords(decoded.text), limits);
  return { format: 'csv', encoding: decoded.encoding, grids: [readCsvGrid(decoded.text)] };
}

/**
 * The JSON body limit `importList` needs on /admin/graphql: a file of IMPORT_MAX_BYTES in base64
 * plus room for the query, and a little over so that a slightly larger file is refused by the
 * import naming its limit rather than by the body parser. Other JSON keeps the global limit.
 */
export function importJsonBodyOptions(config: { importMaxBytes: number }) {
  const limit = Math.ceil((config.importMaxBytes * 4) / 3) + 1024 * 1024;
  const type = (req: { url?: string; headers: Record<string, string | string[] | undefined> }) =>
    /^\/admin\/graphql(\?|$)/.test(req.url ?? '') && /\bjson\b/i.test(String(req.headers['content-type'] ?? ''));
  return { limit, type };
}
