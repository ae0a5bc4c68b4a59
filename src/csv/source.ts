import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';

/** The encodings a CSV file may come in, as spreadsheets save them. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** The delimiters spreadsheets use: `,` (most), `;` (Excel where the decimal mark is a comma), tab. */
export const CSV_DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

/** The file cannot be read as CSV (malformed, empty, over the plan); nothing was imported. */
export class CsvFileError extends Error {}

/** The file's bytes are not text in an encoding we read, or an option names none. */
export class CsvDecodeError extends Error {}

export interface CsvSource {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Bytes to skip at the start (a byte-order mark). */
  skip: number;
  /** How each was found, for the operator: `detected`, `byte-order mark` or `given`. */
  encodingBy: string;
  delimiterBy: string;
}

const SAMPLE_BYTES = 64 * 1024;

/** A delimiter given on the command line: `,` `;` `tab` (or a literal tab), or their names. */
export function parseDelimiter(value: string): CsvDelimiter {
  const byName: Record<string, CsvDelimiter> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t' };
  const delimiter = byName[value.toLowerCase()] ?? value;
  if (!(delimiter in CSV_DELIMITERS)) {
    throw new CsvDecodeError(`unknown delimiter "${value}": use one of comma (,), semicolon (;), tab`);
  }
  return delimiter as CsvDelimiter;
}

export function parseEncoding(value: string): CsvEncoding {
  const aliases: Record<string, CsvEncoding> = {
    utf8: 'utf-8',
    'utf-8': 'utf-8',
    utf16le: 'utf-16le',
    'utf-16le': 'utf-16le',
    utf16be: 'utf-16be',
    'utf-16be': 'utf-16be',
    'windows-1252': 'windows-1252',
    cp1252: 'windows-1252',
    latin1: 'windows-1252',
    'iso-8859-1': 'windows-1252',
  };
  const encoding = aliases[value.toLowerCase()];
  if (!encoding)
    throw new CsvDecodeError(`unknown encoding "${value}": use one of ${CSV_ENCODINGS.join(', ')}`);
  return encoding;
}

function fromByteOrderMark(head: Buffer): { encoding: CsvEncoding; skip: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return null;
}

/** UTF-16 without a mark: text in Latin script has a zero byte in every other place. */
function utf16WithoutMark(head: Buffer): CsvEncoding | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZero++;
    if (head[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * The whole file must be UTF-8 for it to be read as UTF-8: a single byte that is not (Excel on
 * Windows saves "Café" as 43 61 66 E9) means the file is in the Windows code page instead.
 */
async function isUtf8(file: string, skip: number): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { start: skip }))
      decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** The delimiter that splits the first lines into the same, largest number of columns. */
export function detectDelimiter(sample: string): CsvDelimiter {
  const lines = sample
    .split(/\r\n|\n|\r/)
    .slice(0, 20)
    .filter((line) => line.trim() !== '');
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const delimiter of Object.keys(CSV_DELIMITERS) as CsvDelimiter[]) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    // Lines that agree with the header count; a delimiter inside free text rarely agrees.
    const agreeing = counts.filter((count) => count === first).length;
    const score = agreeing * 1000 + first;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * Finds how a CSV file is written: its encoding (a byte-order mark; else UTF-8 if every byte is
 * valid UTF-8; else UTF-16 by its zero bytes; else Windows-1252, what Excel on Windows writes) and
 * its delimiter (the one that splits the first lines evenly), unless they are given. A file with
 * zero bytes that is not UTF-16 is not text, and is refused.
 */
export async function inspectCsv(
  file: string,
  given: { encoding?: CsvEncoding; delimiter?: CsvDelimiter } = {},
): Promise<CsvSource> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const mark = fromByteOrderMark(head);
  let encoding: CsvEncoding;
  let encodingBy: string;
  let skip = mark?.skip ?? 0;
  if (given.encoding) {
    encoding = given.encoding;
    encodingBy = 'given';
    if (mark && mark.encoding !== encoding) skip = 0;
  } else if (mark) {
    encoding = mark.encoding;
    encodingBy = 'byte-order mark';
  } else {
    encodingBy = 'detected';
    const utf16 = utf16WithoutMark(head);
    if (utf16) encoding = utf16;
    else if (head.includes(0)) {
      throw new CsvDecodeError(
        `${file} is not a text file (it holds zero bytes): save it from the spreadsheet as "CSV UTF-8", or give --encoding`,
      );
    } else encoding = (await isUtf8(file, 0)) ? 'utf-8' : 'windows-1252';
  }
  const sample = new TextDecoder(encoding).decode(head.subarray(skip));
  const delimiter = given.delimiter ?? detectDelimiter(sample);
  return { encoding, delimiter, skip, encodingBy, delimiterBy: given.delimiter ? 'given' : 'detected' };
}

/** The file's text, decoded as `source` says, as a stream of strings for the CSV parser. */
export function readCsvText(file: string, source: CsvSource) {
  const decoder = new TextDecoder(source.encoding);
  const decode = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      const text = decoder.decode(chunk, { stream: true });
      done(null, text || undefined);
    },
    flush(done) {
      const rest = decoder.decode();
      done(null, rest || undefined);
    },
  });
  return createReadStream(file, { start: source.skip }).pipe(decode);
}

/** One line for the operator: how the file was read. */
export function describeSource(source: CsvSource): string {
  return (
    `read as ${source.encoding} (${source.encodingBy}), ` +
    `delimiter ${CSV_DELIMITERS[source.delimiter]} (${source.delimiterBy})`
  );
}

/** The file's records (arrays of cells), parsed as `source` says. */
export const parseCsvFile = (file: string, source: CsvSource) =>
  readCsvText(file, source).pipe(
    parse({ skip_empty_lines: true, relax_column_count: true, delimiter: source.delimiter }),
  );
