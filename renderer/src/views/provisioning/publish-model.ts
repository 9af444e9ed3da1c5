// Publishing the ready phones and skipping the ones that miss credentials: which phones those are, whether skipping
// them is possible at all (a credential every phone needs cannot be skipped), and the words of the publish button.
import { count } from '../../lib/format';
import { fileMac } from './provisioning-text';
import type { CallOutput } from '$api/contract';

export type MissingCredential = CallOutput<'credentials.status'>['missing'][number];
export type Preview = CallOutput<'provisioning.preview'>;

export interface IncompletePhones {
  /** MAC -> what it misses. */
  phones: Map<string, string[]>;
  /** Credentials every phone needs (no MAC): skipping phones cannot help. */
  siteWide: string[];
  /** Some phones miss credentials and nothing site-wide does: publishing the others is possible. */
  phonesOnly: boolean;
}

export function phonesMissingCredentials(missing: readonly MissingCredential[]): IncompletePhones {
  const phones = new Map<string, string[]>();
  const siteWide: string[] = [];
  for (const m of missing) {
    if (m.mac) phones.set(m.mac, [...(phones.get(m.mac) ?? []), m.what]);
    else siteWide.push(m.what);
  }
  return { phones, siteWide, phonesOnly: phones.size > 0 && siteWide.length === 0 };
}

/** "Publish", or "Publish the 5 ready phones, skip 1" when the preview leaves phones out. */
export function publishLabel(preview: Pick<Preview, 'files' | 'skipped'>): string {
  if (preview.skipped.length === 0) return 'Publish';
  const ready = preview.files.filter((f) => fileMac(f.name) !== null).length;
  return `Publish the ${count(ready, 'ready phone')}, skip ${preview.skipped.length}`;
}

/** The result line: "24 files published to …" and, when phones were skipped, which. */
export function publishResult(
  published: { files: number; target: string; skipped: Preview['skipped'] },
  name: (mac: string) => string,
): string {
  const head = `${count(published.files, 'file')} published to ${published.target}.`;
  if (published.skipped.length === 0) return head;
  return `${head} Skipped ${count(published.skipped.length, 'phone')} that miss credentials: ${published.skipped
    .map((s) => name(s.mac))
    .join(', ')}.`;
}

export type GenerateReport = CallOutput<'config.generate'>;

/**
 * Whether "Continue to preview" leads anywhere: not with errors or a credential every phone needs; with phones that
 * miss their own credentials it does, and the preview offers to skip them.
 */
export function previewGate(
  report: Pick<GenerateReport, 'findings' | 'missingCredentials' | 'credentials' | 'readyToPublish'>,
): {
  open: boolean;
  skip: boolean;
  text: string;
} {
  if (report.readyToPublish) return { open: true, skip: false, text: '' };
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0)
    return {
      open: false,
      skip: false,
      text: `Not ready to publish: ${count(errors, 'error')} in the generated files. Fix them below, then generate again.`,
    };
  const { readyPhones, incompletePhones, siteWideMissing } = report.credentials;
  if (siteWideMissing || incompletePhones.length === 0)
    return {
      open: false,
      skip: false,
      text: `Not ready to publish: ${count(report.missingCredentials.length, 'missing credential')} that every phone needs. Enter ${report.missingCredentials.length === 1 ? 'it' : 'them'} under Settings › Credentials, then generate again.`,
    };
  if (readyPhones === 0)
    return {
      open: false,
      skip: false,
      text: `Not ready to publish: every phone misses a credential. Enter them under Settings › Credentials, then generate again.`,
    };
  return {
    open: true,
    skip: true,
    text: `${count(incompletePhones.length, 'phone')} ${incompletePhones.length === 1 ? 'misses' : 'miss'} credentials (below). The preview can publish the ${count(readyPhones, 'ready phone')} and skip ${incompletePhones.length === 1 ? 'it' : 'them'}, or enter them and generate again.`,
  };
}
