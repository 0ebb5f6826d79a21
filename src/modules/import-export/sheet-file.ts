import path from 'node:path';
import { badInput } from '../../common/domain-error.js';
import { countCsvRecords, readCsvGrid, readXlsxGrids, SheetReadError, type SheetGrid } from './sheet-readers.js';
import { decodeText, EncodingError, type TextEncoding } from './text-encoding.js';
import { scanXlsx, ScanBudgetError, ZipError } from './zip-scan.js';

export type SheetFormat = 'xlsx' | 'csv';

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
  /** What an .xlsx archive may expand to (IMPORT_MAX_UNCOMPRESSED_BYTES). */
  maxUncompressedBytes: number;
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

/** Merged ranges may cover the rows a file may have times this many columns (a list has fewer than 20). */
const MERGED_COLUMNS = 30;

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isOle = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

/**
 * Reads an uploaded list file: .xlsx by its content (a ZIP), anything else as CSV text in a detected
 * encoding. The limits are checked before the cells are parsed: size first, then the rows counted
 * cheaply (CSV: records; xlsx: rows with a value, from the archive, which is also checked not to
 * expand beyond IMPORT_MAX_UNCOMPRESSED_BYTES), by linear scans that give up after `timeoutMs`.
 * Uploads run this in a worker thread (sheet-parsers.ts), never on the thread that answers requests.
 */
export async function parseSheetFile(fileName: string, content: Buffer, limits: ImportLimits, timeoutMs = Infinity): Promise<SheetFile> {
  const deadline = performance.now() + timeoutMs;
  requireWithinSize(content.length, limits);
  const ext = path.extname(fileName).toLowerCase();
  if (content.length === 0) throw badInput('file', '文件是空的');
  if (isOle(content))
    throw badInput('file', '不支持旧版 Excel 97-2003（.xls）文件或加密的工作簿：请在 Excel 中“另存为” .xlsx 或“CSV UTF-8（逗号分隔）”后再导入');
  if (isZip(content)) {
    let scan: ReturnType<typeof scanXlsx>;
    try {
      scan = scanXlsx(content, { maxUncompressedBytes: limits.maxUncompressedBytes, deadline });
    } catch (e) {
      if (e instanceof ScanBudgetError && e.reason === 'uncompressed')
        throw badInput('file', `该 .xlsx 解压后有 ${formatBytes(e.bytes)}，超过上限 ${formatBytes(limits.maxUncompressedBytes)}（IMPORT_MAX_UNCOMPRESSED_BYTES）：请检查文件内容（如大量空白格式行）或拆分后导入`, {
          limit: 'IMPORT_MAX_UNCOMPRESSED_BYTES',
          maxUncompressedBytes: limits.maxUncompressedBytes,
        });
      if (e instanceof ScanBudgetError) throw parseTimeout(timeoutMs / 1000);
      if (e instanceof ZipError) throw badInput('file', '无法读取该 .xlsx 文件（文件损坏，或不是 Excel 工作簿）：请用 Excel 打开后重新另存为 .xlsx');
      throw e;
    }
    requireWithinRows(scan.rows, limits);
    if (scan.mergedCells > limits.maxRows * MERGED_COLUMNS)
      throw badInput('file', `该 .xlsx 的合并单元格共覆盖 ${scan.mergedCells} 个单元格，超过上限 ${limits.maxRows * MERGED_COLUMNS} 个（IMPORT_MAX_ROWS × ${MERGED_COLUMNS}）：请取消大范围的合并单元格后再导入`, {
        limit: 'IMPORT_MAX_ROWS',
        maxRows: limits.maxRows,
      });
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

/** A file whose reading did not finish in IMPORT_PARSE_TIMEOUT_SECONDS (the scan gave up, or its worker was ended). */
export function parseTimeout(seconds: number) {
  return badInput('file', `文件未能在规定时间（${seconds}秒）内读完（IMPORT_PARSE_TIMEOUT_SECONDS）：文件过大或结构异常，请检查文件内容，或拆分后分别导入`, {
    limit: 'IMPORT_PARSE_TIMEOUT_SECONDS',
    seconds,
  });
}

/**
 * The JSON body limit `importList` needs on /admin/graphql: a file of IMPORT_MAX_BYTES in base64
 * plus room for the query, and a little over so that a slightly larger file is refused by the
 * import naming its limit rather than by the body parser. Other JSON keeps the global limit;
 * other operations on /admin/graphql are held to ADMIN_BODY_MAX (src/api/request-limits.middleware.ts),
 * which compares the bytes recorded here.
 */
export function importJsonBodyOptions(config: { importMaxBytes: number }) {
  const limit = Math.ceil((config.importMaxBytes * 4) / 3) + 1024 * 1024;
  const type = (req: { url?: string; headers: Record<string, string | string[] | undefined> }) =>
    /^\/admin\/graphql(\?|$)/.test(req.url ?? '') && /\bjson\b/i.test(String(req.headers['content-type'] ?? ''));
  const verify = (req: { jsonBodyBytes?: number }, _res: unknown, body: Buffer) => {
    req.jsonBodyBytes = body.length;
  };
  return { limit, type, verify };
}
