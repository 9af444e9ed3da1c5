// `npm start` without the Electron runtime (newcomer defect 30): one sentence that says what is missing, that
// it needs internet once, and that `npm run dev:web` opens the same app now; never a stack trace. The failed
// download is real: the electron package's own installer, pointed at a mirror on 127.0.0.1 that refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_MISSING } from '../../../build/start-desktop';
import { electronBinary } from '../../../build/electron-runtime';
import { tempDir } from '../../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const skip = electronBinary() ? 'the Electron runtime is installed here, so npm start would open the app' : false;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm start` without blocking this process (the loopback mirror below must keep answering). */
function npmStart(env: NodeJS.ProcessEnv): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ELECTRON_|electron_)/.test(k)));
  return new Promise((resolve) => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...clean, ...env } });
    const run: Run = { status: null, stdout: '', stderr: '' };
    child.stdout.on('data', (b: Buffer) => (run.stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (run.stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ...run, status: code });
    });
  });
}

function assertOneSentence(run: Run) {
  assert.equal(run.status, 1);
  const said = `${run.stdout}\n${run.stderr}`;
  assert.doesNotMatch(said, /\n\s+at |TypeError|fetch failed|Error:/, said);
  assert.equal(run.stderr.trim(), RUNTIME_MISSING);
  assert.match(RUNTIME_MISSING, /desktop runtime .* needs internet once.*npm run dev:web opens the same app/);
  assert.match(RUNTIME_MISSING, /^[^.]+\.$/, 'one sentence');
}

test('without the runtime and with downloads off, npm start ends in the one sentence', { skip }, async () => {
  assertOneSentence(await npmStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }));
});

test('when the download fails (no internet), npm start ends in the same sentence', { skip }, async (t) => {
  const requests: string[] = [];
  const mirror = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  t.after(() => mirror.close());
  const cache = await tempDir(t);
  const { port } = mirror.address() as { port: number };
  const run = await npmStart({
    ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
    electron_config_cache: join(cache, 'cache'),
  });
  assert.ok(requests.length > 0, 'the installer tried the (loopback) mirror');
  assertOneSentence(run);
});
