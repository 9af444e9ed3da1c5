// `fieldkit inventory list|import <file.csv>|export [--out FILE]`: the site's inventory from the command line.
import { readFile, writeFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { InventoryStore } from '../core/inventory/inventory-store';
import { inventoryToCsv, exportFileName } from '../core/inventory/inventory-export';
import { SHEET_LIMITS } from '../core/inventory/sheet';
import { FieldkitError, describeFsError } from '../core/util/errors';
import { printJson, UsageError, type CliCommand, type CliContext } from './command';
import type { InventoryRow } from '../core/inventory/inventory-rows';

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

/** Reads a file as UTF-8, or as Windows-1252 when it is not valid UTF-8 (spreadsheets on Windows). */
async function readSheetFile(path: string): Promise<string> {
  const info = await stat(path).catch((e) => {
    throw describeFsError(e, 'the CSV file', path);
  });
  if (info.size > SHEET_LIMITS.maxChars)
    throw new FieldkitError(
      'invalid-input',
      `${path} is ${(info.size / 1024 / 1024).toFixed(1)} MB; Fieldkit reads sheets up to 5 MB.`,
    );
  const bytes = await readFile(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

async function store(ctx: CliContext): Promise<{ inventory: InventoryStore; siteName: string }> {
  const app = await ctx.app();
  const site = app.openSiteOrNull;
  if (!site) throw new UsageError('Give the site folder with --site DIR, or run the command inside a site folder.');
  return { inventory: InventoryStore.for(site), siteName: site.meta.name };
}

export const inventoryCommand: CliCommand = {
  name: 'inventory',
  summary: "List the phones of a site, import the technician's sheet (CSV) or export the inventory as CSV.",
  usage:
    'fieldkit inventory list --site DIR [--json]\n       fieldkit inventory import <file.csv> --site DIR [--json]\n       fieldkit inventory export [--out FILE] --site DIR [--json]',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.args,
      options: { out: { type: 'string' } },
      allowPositionals: true,
    });
    const [action, file, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
    if (action === 'list') {
      const { inventory } = await store(ctx);
      const rows = await inventory.rows();
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
      return 0;
    }
    if (action === 'import') {
      if (!file) throw new UsageError('Give the CSV file to import.');
      const text = await readSheetFile(file);
      const { inventory } = await store(ctx);
      const result = await inventory.importSheet(text, basename(file));
      if (ctx.json) printJson(ctx.io, result);
      else {
        ctx.io.out(
          `${result.imported} new, ${result.updated} updated, ${result.unchanged} unchanged of ${result.rowsRead} rows.`,
        );
        for (const e of result.errors) ctx.io.err(`error: ${e.message}`);
        for (const w of result.warnings) ctx.io.err(`warning: ${w.message}`);
      }
      return result.errors.length > 0 ? 1 : 0;
    }
    if (action === 'export') {
      if (file) throw new UsageError('Give the output file with --out FILE.');
      const { inventory, siteName } = await store(ctx);
      const rows = await inventory.rows();
      const csv = inventoryToCsv(rows);
      if (values.out) {
        await writeFile(values.out, csv).catch((e) => {
          throw describeFsError(e, 'the CSV export', values.out!);
        });
        if (ctx.json) printJson(ctx.io, { file: values.out, phones: rows.length });
        else ctx.io.out(`Wrote ${rows.length} phones to ${values.out}`);
      } else if (ctx.json) {
        printJson(ctx.io, { csv, fileName: exportFileName(siteName, new Date()) });
      } else {
        ctx.io.out(csv.trimEnd());
      }
      return 0;
    }
    throw new UsageError('Say "inventory list", "inventory import <file.csv>" or "inventory export [--out FILE]".');
  },
};
