// Bytes to lines: gzip, encodings (UTF-8 with or without BOM, cp1250, cp1251), CRLF.
import { gunzipSync } from 'node:zlib';
import { ImportError } from './types.ts';

export const ENCODINGS = ['utf-8', 'windows-1250', 'windows-1251'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface DecodedText {
  readonly text: string;
  readonly bom: boolean;
  readonly gzip: boolean;
  readonly crlf: boolean;
  readonly encoding: Encoding;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decodes a source file. Gzip is recognised by its magic bytes, so `.gz` needs no option. */
export function decodeSource(input: Uint8Array, encoding: Encoding = 'utf-8'): DecodedText {
  let bytes = input;
  const gzip = isGzip(bytes);
  if (gzip) {
    try {
      bytes = new Uint8Array(gunzipSync(bytes));
    } catch (e) {
      throw new ImportError(`corrupt gzip data: ${(e as Error).message}`);
    }
  }
  const bom = encoding === 'utf-8' && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let text: string;
  try {
    // The decoder strips a UTF-8 BOM itself; fatal so that a wrong encoding is an error, not mojibake.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(`not valid ${encoding} text (set the source's encoding)`);
  }
  return { text, bom, gzip, crlf: text.includes('\r\n'), encoding };
}

/** Splits on LF, CRLF or CR. A final line break does not add an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Shortens a line for a report, showing invisible characters that matter. */
export function showText(s: string, max = 120): string {
  const shown = s
    .replace(/\u00a0/g, '<NBSP>')
    .replace(/\t/g, '<TAB>')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '<ZW>');
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
