import iconv from 'iconv-lite';

export type TextEncoding = 'UTF-8' | 'UTF-8 (BOM)' | 'UTF-16LE (BOM)' | 'UTF-16BE (BOM)' | 'GB18030';

/**
 * The text of a CSV file in whatever encoding a county office saved it, detected, never asked for:
 * a byte-order mark decides; otherwise bytes that are valid UTF-8 are UTF-8 (Chinese text in GBK
 * is practically never valid UTF-8), and anything else is read as GB18030, the superset of GBK and
 * GB2312 that Excel on Chinese Windows writes as “CSV (逗号分隔)”.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = utf8(bytes.subarray(3));
    if (text === null) throw new EncodingError('文件开头标明为 UTF-8 编码，但内容含有无效的 UTF-8 字节：请用 Excel 重新另存为“CSV UTF-8（逗号分隔）”');
    return { text, encoding: 'UTF-8 (BOM)' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE (BOM)' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE (BOM)' };
  const text = utf8(bytes);
  if (text !== null) return { text, encoding: 'UTF-8' };
  return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'), encoding: 'GB18030' };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A file whose bytes are no text in any encoding we read. */
export class EncodingError extends Error {}
