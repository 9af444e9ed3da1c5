// `fieldkit inventory list|import <file.csv>|export [--out FILE]`: the site's inventory from the command line.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeText, fileProblem, readInputFile } from './read-text-file';
import { EXIT, parseOptions, printJson, UsageError, type CliCommand } from './command';
import type { CallOutput } from '../api/contract';

type InventoryRow = CallOutput<'inventory.list'>['rows'][number];

/** The largest sheet the contract takes (inventory.importCsv: 5 MB of text). */
const SHEET_MAX_BYTES = 5 * 1024 * 1024;

function line(r: InventoryRow): string {
  const cells = [
    r.ip ?? '-',
    r.mac ?? '-',
    r.model ?? '-',
    r.firmware ?? '-',
    r.presence,
    r.changes.join(',') || '-',
    r.directoryNumber || '-',
    r.displayName,
  ];
  return cells.map((c, i) => (i < cells.length - 1 ? c.padEnd([15, 17, 7, 11, 8, 9, 8][i]!) : c)).join(' ');
}

export const inventoryCommand: CliCommand = {
  name: 'inventory',
  summary: "List the phones of a site, import the technician's sheet (CSV) or export the inventory as CSV.",
  usage: [
    'fieldkit inventory list --site DIR [--json]',
    '       fieldkit inventory import <file.csv> --site DIR [--json]',
    '       fieldkit inventory export [--out FILE] --site DIR [--json]',
  ].join('\n'),
  async run(ctx) {
    const { values, positionals } = parseOptions(ctx.args, { out: { type: 'string' } }, { positionals: 2 });
    const [action, file] = positionals;
    if (action === 'list') {
      if (file) throw new UsageError(`Unexpected argument "${file}".`);
      const { rows } = await ctx.call('inventory.list', {});
      if (ctx.json) printJson(ctx.io, rows);
      else
        ctx.io.out(
          rows.length
            ? [
                'IP              MAC               Model   Firmware    Status   Change    DN       Name',
                ...rows.map(line),
              ].join('\n')
            : 'No phones in this site yet: run "fieldkit discover" or import a sheet.',
        );
      return EXIT.ok;
    }
    if (action === 'import') {
      if (!file) throw new UsageError('Give the CSV file to import.');
      const text = decodeText(await readInputFile(file, 'The CSV file', SHEET_MAX_BYTES));
      const result = await ctx.call('inventory.importCsv', { text, fileName: basename(file) });
      if (ctx.json) printJson(ctx.io, result);
      else {
        ctx.io.out(
          `${result.imported} new, ${result.updated} updated, ${result.unchanged} unchanged of ${result.rowsRead} rows.`,
        );
        for (const e of result.errors) ctx.io.err(`error: ${e.message}`);
        for (const w of result.warnings) ctx.io.err(`warning: ${w.message}`);
      }
      return result.errors.length > 0 ? EXIT.failed : EXIT.ok;
    }
    if (action === 'export') {
      if (file) throw new UsageError('Give the output file with --out FILE.');
      const { csv, fileName } = await ctx.call('inventory.exportCsv', {});
      if (values.out) {
        const out = values.out;
        await writeFile(out, csv).catch((e: NodeJS.ErrnoException) => {
          throw fileProblem(e, 'The CSV export', out);
        });
        const phones = (await ctx.call('inventory.list', {})).rows.length;
        if (ctx.json) printJson(ctx.io, { file: values.out, phones });
        else ctx.io.out(`Wrote ${phones} phones to ${values.out}`);
      } else if (ctx.json) {
        printJson(ctx.io, { csv, fileName });
      } else {
        ctx.io.out(csv.trimEnd());
      }
      return EXIT.ok;
    }
    throw new UsageError('Say "inventory list", "inventory import <file.csv>" or "inventory export [--out FILE]".');
  },
};
