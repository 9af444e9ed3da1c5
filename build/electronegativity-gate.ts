// `npm run test:security`: runs @doyensec/electronegativity over the Electron and renderer sources and
// fails on any finding not justified in build/electronegativity-allowlist.json (check + file + reason).
// The tool always exits 0, so its SARIF report is what decides. It runs with `got` disabled
// (electronegativity-offline.cjs): otherwise it fetches translations from the internet on every run.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED_FOLDERS = ['electron', 'renderer'];
const ALLOWLIST_PATH = join(ROOT, 'build', 'electronegativity-allowlist.json');
/** Needs the internet (Electron release feed); the Electron version is kept current by dependency updates instead. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export interface Finding {
  check: string;
  file: string;
  line: number;
  message: string;
}

export interface AllowlistEntry {
  check: string;
  file: string;
  reason: string;
}

const requireHere = createRequire(import.meta.url);

function electronVersion(): string {
  return (requireHere('electron/package.json') as { version: string }).version;
}

/** Runs electronegativity on inputDir and returns its findings, with paths relative to inputDir. */
export async function runElectronegativity(inputDir: string): Promise<Finding[]> {
  const work = await mkdtemp(join(tmpdir(), 'fk-eneg-out-'));
  try {
    const report = join(work, 'report.sarif');
    const cli = join(dirname(requireHere.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        join(ROOT, 'build', 'electronegativity-offline.cjs'),
        cli,
        '-i',
        inputDir,
        '-o',
        report,
        '-r',
        '-e',
        electronVersion(),
        '-x',
        EXCLUDED_CHECKS.join(','),
      ],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    if (run.status !== 0)
      throw new Error(`electronegativity failed (exit ${run.status ?? run.signal}): ${run.stderr || run.stdout}`);
    let sarif: { runs?: Array<{ results?: SarifResult[] }> };
    try {
      sarif = JSON.parse(await readFile(report, 'utf8'));
    } catch (e) {
      throw new Error(
        `electronegativity wrote no readable report (${(e as Error).message}); its output was:\n${run.stdout}\n${run.stderr}`,
        { cause: e },
      );
    }
    if (!Array.isArray(sarif.runs) || sarif.runs.length === 0) throw new Error('electronegativity report has no runs');
    return sarif.runs.flatMap((r) => r.results ?? []).map(toFinding);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface SarifResult {
  ruleId: string;
  message?: { text?: string };
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }>;
}

function toFinding(result: SarifResult): Finding {
  const location = result.locations?.[0]?.physicalLocation;
  return {
    check: result.ruleId,
    file: (location?.artifactLocation?.uri ?? 'N/A').replaceAll('\\', '/'),
    line: location?.region?.startLine ?? 0,
    message: result.message?.text ?? '',
  };
}

export function parseAllowlist(text: string): AllowlistEntry[] {
  const entries: unknown = JSON.parse(text);
  if (!Array.isArray(entries))
    throw new Error('The electronegativity allowlist must be a JSON array of {check, file, reason}.');
  return entries.map((entry, i) => {
    const { check, file, reason } = (entry ?? {}) as Partial<AllowlistEntry>;
    if (typeof check !== 'string' || !check || typeof file !== 'string' || !file) {
      throw new Error(
        `Allowlist entry ${i} needs "check" (e.g. OPEN_EXTERNAL_JS_CHECK) and "file" (path as electronegativity reports it).`,
      );
    }
    if (typeof reason !== 'string' || reason.trim().length < 20) {
      throw new Error(
        `Allowlist entry ${i} (${check} in ${file}) needs a real "reason": why the finding is safe here.`,
      );
    }
    return { check, file, reason };
  });
}

export function judgeFindings(findings: Finding[], allowlist: AllowlistEntry[]) {
  const matches = (f: Finding, a: AllowlistEntry) => f.check === a.check && f.file === a.file;
  return {
    unjustified: findings.filter((f) => !allowlist.some((a) => matches(f, a))),
    justified: findings.filter((f) => allowlist.some((a) => matches(f, a))),
    unused: allowlist.filter((a) => !findings.some((f) => matches(f, a))),
  };
}

/** Copies only the scanned sources, so paths read `electron/...` and `renderer/...` and nothing else is linted. */
async function prepareScanFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-eneg-src-'));
  for (const folder of SCANNED_FOLDERS) {
    await cp(join(ROOT, folder), join(dir, folder), {
      recursive: true,
      filter: (src) => !['node_modules', 'dist', 'dist-electron'].includes(basename(src)),
    });
  }
  return dir;
}

async function main(): Promise<number> {
  const started = Date.now();
  const allowlist = parseAllowlist(await readFile(ALLOWLIST_PATH, 'utf8'));
  const scan = await prepareScanFolder();
  let findings: Finding[];
  try {
    findings = await runElectronegativity(scan);
  } finally {
    await rm(scan, { recursive: true, force: true });
  }
  const { unjustified, justified, unused } = judgeFindings(findings, allowlist);
  for (const f of justified) console.log(`allowed   ${f.check}  ${f.file}:${f.line}`);
  for (const a of unused)
    console.log(
      `note: allowlist entry ${a.check} ${a.file} matched nothing; remove it if the finding is gone for good`,
    );
  for (const f of unjustified) console.error(`FINDING   ${f.check}  ${f.file}:${f.line}  ${f.message}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (unjustified.length > 0) {
    console.error(
      `electronegativity gate: FAILED, ${unjustified.length} unjustified finding(s) in ${SCANNED_FOLDERS.join(', ')} (${seconds} s). Fix them, or justify each in ${ALLOWLIST_PATH.slice(ROOT.length)}.`,
    );
    return 1;
  }
  console.log(`electronegativity gate: passed, ${findings.length} finding(s), all justified (${seconds} s).`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`electronegativity gate: ERROR ${(e as Error)?.message ?? e}`);
      process.exit(1);
    },
  );
}
