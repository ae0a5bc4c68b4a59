import { once } from 'node:events';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { stringify } from 'csv-stringify';
import { exportCsv } from '../csv/export.js';
import { neutraliseCell, restoreCell } from '../csv/formula.js';
import { HeaderError, parseMap, REJECT_COLUMNS } from '../csv/headers.js';
import { importCsv, type RejectedRow } from '../csv/import.js';
import { CSV_KINDS, type CsvKind, isCsvKind } from '../csv/kinds.js';
import {
  CsvDecodeError,
  type CsvDelimiter,
  type CsvEncoding,
  CsvFileError,
  describeSource,
  inspectCsv,
  parseDelimiter,
  parseEncoding,
} from '../csv/source.js';
import { createProgress } from './progress.js';
import { type AccessOptions, cliConfig, EXIT, openServices, resolveAccess, usage } from './shared.js';

const format = (n: number) => n.toLocaleString('en-US');
/** Rejected rows shown on the terminal; the rejects file has all of them. */
const SHOWN_REJECTS = 20;

function checkKind(kind: string): CsvKind {
  if (!isCsvKind(kind)) throw usage(`unknown kind "${kind}": use one of ${CSV_KINDS.join(', ')}`);
  return kind;
}

const accessOptions = (command: Command) =>
  command
    .option('--token <token>', 'act as the agent or person of this token (ck_…); also AGENTCRM_TOKEN')
    .option('--token-file <path>', 'read the token from this file')
    .option('--workspace <wrk_id>', 'the workspace (checked against the token when both are given)');

interface ImportFlags extends AccessOptions {
  map: string[];
  rejects?: string;
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
}

/** Reads an option's value with `parse`, turning its complaint into a usage error. */
const checked =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw usage((error as Error).message);
    }
  };

export function importCommand(): Command {
  return accessOptions(
    new Command('import')
      .description(
        'import contacts, companies or deals from a CSV file through the API operations (validated, audited, ' +
          'upserted: by id, then by email or domain); rejected rows are reported and never stop the import',
      )
      .argument('<kind>', CSV_KINDS.join(' | '))
      .argument('<file>', 'the CSV file; its first row names the columns'),
  )
    .addOption(
      new Option(
        '--map <pairs>',
        'header mapping, e.g. "Full Name=name,E-mail=email,Region=custom.region" (repeatable)',
      )
        .argParser((value: string, previous: string[] = []) => [...previous, value])
        .default([]),
    )
    .option(
      '--rejects <file>',
      'write the rejected rows (row number, error, original cells) to this CSV file',
    )
    .option(
      '--encoding <name>',
      'utf-8, utf-16le, utf-16be or windows-1252 (default: detected — a byte-order mark, else UTF-8 when every byte is, else windows-1252)',
      checked(parseEncoding),
    )
    .option(
      '--delimiter <char>',
      'comma, semicolon or tab (default: detected from the first lines)',
      checked(parseDelimiter),
    )
    .action(async (kindArg: string, file: string, flags: ImportFlags) => {
      const kind = checkKind(kindArg);
      if (!existsSync(file) || !statSync(file).isFile()) throw usage(`no such file: ${file}`);
      let map: Map<string, string>;
      try {
        map = parseMap(flags.map);
      } catch (error) {
        throw usage((error as Error).message);
      }
      let source: Awaited<ReturnType<typeof inspectCsv>>;
      try {
        source = await inspectCsv(file, { encoding: flags.encoding, delimiter: flags.delimiter });
      } catch (error) {
        if (error instanceof CsvDecodeError) throw usage(error.message);
        throw error;
      }
      process.stderr.write(`# ${file}: ${describeSource(source)}\n`);
      const { services, close } = await openServices(cliConfig());
      const rejects = flags.rejects ? stringify() : undefined;
      const rejectsDone = rejects
        ? once(rejects.pipe(createWriteStream(flags.rejects!)), 'finish')
        : undefined;
      let shown = 0;
      const progress = createProgress();
      const onReject = async ({ row, error, cells }: RejectedRow) => {
        if (shown++ < SHOWN_REJECTS) progress.note(`row ${row}: ${error}`);
        // The rejects file holds the input's cells, neutralised like every CSV we write; a cell that
        // came already quoted keeps its one quote, so importing the fixed file reads what this run read.
        const line = [String(row), error, ...cells.map(restoreCell)].map(neutraliseCell);
        if (rejects && !rejects.write(line)) await once(rejects, 'drain');
      };
      try {
        const { caller } = await resolveAccess(services, flags, 'write', false);
        const report = await importCsv(
          services,
          caller!,
          { kind, file, map, source },
          progress,
          onReject,
          (header, mapping) => {
            rejects?.write([...REJECT_COLUMNS, ...header].map(neutraliseCell));
            if (mapping.unknown.length > 0) {
              process.stderr.write(
                `warning: ignoring columns ${mapping.unknown.map((h) => `"${h}"`).join(', ')} ` +
                  `(map them with --map "Header=column", or "Header=skip" to silence this)\n`,
              );
            }
          },
        );
        // The summary reports committed rows: they are on disk before it is printed.
        await services.store.durable();
        const { counts } = report;
        if (counts.rejected > SHOWN_REJECTS) {
          process.stderr.write(`… and ${format(counts.rejected - SHOWN_REJECTS)} more rejected rows\n`);
        }
        process.stdout.write(
          `# imported ${kind} from ${file}: ${format(report.rows)} rows — ${format(counts.created)} created, ` +
            `${format(counts.updated)} updated, ${format(counts.unchanged)} unchanged, ` +
            `${format(counts.proposed)} proposed, ${format(counts.rejected)} rejected` +
            (counts.empty ? `, ${format(counts.empty)} empty skipped` : '') +
            '\n',
        );
        if (rejects && counts.rejected > 0) process.stdout.write(`# rejected rows: ${flags.rejects}\n`);
        process.stdout.write(
          `# operation_id: ${report.operationId} (undo: POST /operations/revert {"operation_id":"${report.operationId}"})\n`,
        );
        if (counts.rejected > 0) process.exitCode = EXIT.rejected;
      } catch (error) {
        if (error instanceof CsvFileError || error instanceof HeaderError) throw usage(error.message);
        throw error;
      } finally {
        rejects?.end();
        await rejectsDone;
        await close();
      }
    });
}

interface ExportFlags extends AccessOptions {
  out?: string;
  excel?: boolean;
}

export function exportCommand(): Command {
  return accessOptions(
    new Command('export')
      .description(
        'write every live contact, company or deal of a workspace as CSV (stdout unless --out), with ' +
          'company_domain/contact_email for re-import elsewhere and one custom.<key> column per custom field',
      )
      .argument('<kind>', CSV_KINDS.join(' | ')),
  )
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--excel', 'write for Excel: a UTF-8 byte-order mark (so accents survive) and CRLF line ends')
    .action(async (kindArg: string, flags: ExportFlags) => {
      const kind = checkKind(kindArg);
      const { services, close } = await openServices(cliConfig());
      try {
        const { workspaceId } = await resolveAccess(services, flags, 'read', true);
        const out = flags.out ? createWriteStream(flags.out) : process.stdout;
        const rows = await exportCsv(services, workspaceId, kind, out, createProgress(), {
          excel: flags.excel === true,
        });
        if (flags.out) process.stderr.write(`# exported ${format(rows)} ${kind} to ${flags.out}\n`);
      } finally {
        await close();
      }
    });
}
