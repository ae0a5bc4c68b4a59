import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/**
 * Checks the 100-byte header of a SQLite file (https://www.sqlite.org/fileformat.html#the_database_header)
 * without opening it as a database, so a damaged first page is named as such instead of failing
 * later as "file is not a database". Returns the problems found; none means the header is sound.
 */
export function sqliteHeaderProblems(file: string): string[] {
  const fd = openSync(file, 'r');
  let header: Buffer;
  let size: number;
  try {
    size = fstatSync(fd).size;
    header = Buffer.alloc(100);
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (size === 0) return []; // a new, empty database: SQLite writes the header on first use
  if (size < 100) return [`the file is ${size} bytes, shorter than a SQLite header`];
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    return [
      'the header does not begin with "SQLite format 3" (the first page is overwritten or this is not a database)',
    ];
  }
  const problems: string[] = [];
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    problems.push(`the header's page size ${raw} is not a power of two between 512 and 65536`);
    return problems;
  }
  if (![1, 2].includes(header[18]!) || ![1, 2].includes(header[19]!)) {
    problems.push(`the header's file format versions (${header[18]}, ${header[19]}) are not 1 or 2`);
  }
  // Fixed by the file format: maximum and minimum embedded payload fractions, leaf payload fraction.
  if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) {
    problems.push("the header's payload fractions are not 64/32/32");
  }
  // With a write-ahead log beside it the file alone may lag: a checkpoint cut off by a crash leaves
  // the header (and some pages) written and the file not yet grown, and opening the database
  // replays the log. The sizes say something only about a file without one.
  if (walBytes(file) > 0) return problems;
  if (size % pageSize !== 0)
    problems.push(`the file size ${size} is not a multiple of the page size ${pageSize}`);
  // The page count in the header is valid when the change counter matches "version-valid-for".
  const pages = header.readUInt32BE(28);
  const counted = header.readUInt32BE(24) === header.readUInt32BE(92);
  if (counted && pages * pageSize > size) {
    problems.push(`the header counts ${pages} pages but the file holds ${Math.floor(size / pageSize)}`);
  }
  return problems;
}

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
