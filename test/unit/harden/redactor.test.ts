import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import fc from 'fast-check';
import { Redactor, encodings } from '../../../electron/core/security/redactor';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { Journal } from '../../../electron/core/jobs/journal';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher';
import { FieldkitError } from '../../../electron/core/util/errors';
import { runCli } from '../../../electron/cli';
import { tempDir } from '../../helpers/temp-dir';

const SIP = 'Sip pw&"/42';
const ADMIN = '3675309142';

async function redactor() {
  return new Redactor(
    new MemorySecretStore({ 'phone-admin-password': ADMIN, 'sip-password:00085D1A2B3C': SIP }),
  ).refresh();
}

test('known values are hidden plain, URL-encoded, form-encoded, JSON- and HTML-escaped, with the key named', async () => {
  const r = await redactor();
  for (const v of encodings(SIP)) assert.equal(r.redact(`x ${v} y`), 'x [redacted: sip-password:00085D1A2B3C] y', v);
  assert.equal(r.redact(`admin ${ADMIN}.`), 'admin [redacted: phone-admin-password].');
  assert.equal(
    r.redact(JSON.stringify({ msg: `bad ${SIP}` })),
    JSON.stringify({ msg: 'bad [redacted: sip-password:00085D1A2B3C]' }),
  );
  assert.equal(r.redact('nothing secret here'), 'nothing secret here');
});

test('old values stay hidden after a secret changes; extra values can be taught; tiny values are ignored', async () => {
  const store = new MemorySecretStore({ 'phone-admin-password': ADMIN });
  const r = await new Redactor(store).refresh();
  await store.set('phone-admin-password', '5551212');
  await r.refresh();
  assert.equal(r.redact(`${ADMIN} 5551212`), '[redacted: phone-admin-password] [redacted: phone-admin-password]');
  r.learn('typed-once-pw', 'sftp login').learn('12');
  assert.equal(r.redact('typed-once-pw 12'), '[redacted: sftp login] 12');
});

test('a value learned after the search was built is hidden too (the matcher is built once per set of values)', async () => {
  const r = await redactor();
  assert.equal(r.redact(`admin ${ADMIN}`), 'admin [redacted: phone-admin-password]'); // builds the matcher
  const key = `-----BEGIN OPENSSH PRIVATE KEY-----\n${'k3y'.repeat(120)}\n-----END OPENSSH PRIVATE KEY-----`;
  r.learn('later-pw-77', 'sftp-password:t').learn(key, 'sftp-private-key:t');
  assert.equal(
    r.redact(`later-pw-77 then ${ADMIN} then ${key}`),
    '[redacted: sftp-password:t] then [redacted: phone-admin-password] then [redacted: sftp-private-key:t]',
  );
  // the same line many times: every call hides every known value
  for (let i = 0; i < 50; i++)
    assert.equal(
      r.redact(`x later-pw-77 ${SIP}`),
      `x [redacted: sftp-password:t] [redacted: sip-password:00085D1A2B3C]`,
    );
});

test('short texts are scanned by lookup, long ones matched by the regex: both hide the same leftmost, longest values', () => {
  // no character of a label ("[redacted: k0]") but the space is in the alphabet, so a value left whole is a leak
  const alphabet = fc.constantFrom('a', 'b', 'A', '1', '&', '"', '<', ' ', '%', '.', '*', '(', '\\', 'é', '😀');
  const word = (min: number, max: number) =>
    fc.array(alphabet, { minLength: min, maxLength: max }).map((a) => a.join(''));
  fc.assert(
    fc.property(
      fc.array(word(3, 8), { minLength: 1, maxLength: 12 }),
      fc.array(word(0, 10), { maxLength: 12 }),
      (values, filler) => {
        const scanning = new Redactor(undefined, Number.POSITIVE_INFINITY);
        const matching = new Redactor(undefined, 0);
        values.forEach((v, i) => {
          scanning.learn(v, `k${i}`);
          matching.learn(v, `k${i}`);
        });
        // values glued to each other and to filler: overlaps, prefixes of each other, repeats
        const text = filler.map((f, i) => f + values[i % values.length]!).join(values[0]!.slice(0, 2));
        const scanned = scanning.redact(text);
        assert.equal(scanned, matching.redact(text));
        for (const v of values)
          assert.ok(!scanned.includes(v), `${JSON.stringify(v)} left in ${JSON.stringify(scanned)}`);
      },
    ),
    { numRuns: 500 },
  );
  const r = new Redactor(undefined, Number.POSITIVE_INFINITY).learn('abcab', 'x').learn('bca', 'y').learn('abc', 'z');
  assert.equal(r.redact('xxabcabcaxx'), 'xx[redacted: x]caxx', 'the longest value at the leftmost position wins');
});

test('credential shapes are hidden without knowing the value: URLs, query strings, Authorization, cfg lines', () => {
  const r = new Redactor();
  assert.equal(
    r.redact('connect sftp://tech:s3cr%40t@10.0.0.5:22/prov failed'),
    'connect sftp://tech:********@10.0.0.5:22/prov failed',
  );
  assert.equal(
    r.redact('GET /reset.html?user=admin&password=4711&x=1'),
    'GET /reset.html?user=admin&password=********&x=1',
  );
  assert.equal(r.redact('body pass=abc pwd=def'), 'body pass=******** pwd=********');
  assert.equal(
    r.redact('Authorization: Basic YWRtaW46NDcxMQ==\r\nHost: x'),
    'Authorization: Basic ********\r\nHost: x',
  );
  assert.equal(
    r.redact('sip line1 password: 4711\nsip line1 user name: 2100'),
    'sip line1 password: ********\nsip line1 user name: 2100',
  );
  assert.equal(r.redact('!admin password: "99 88"'), '!admin password: ********');
  assert.equal(
    r.redact('Admin password: numeric, not 22222, locked'),
    'Admin password: numeric, not 22222, locked',
    'prose stays readable',
  );
  assert.equal(
    r.redactCfg('admin password: 1234 # was 5678\nsip line1 password:\n'),
    'admin password: ********\nsip line1 password:\n',
  );
  assert.deepEqual(r.redactDeep({ a: ['x password=1'], n: 3 }), { a: ['x password=********'], n: 3 });
});

test('a locked keychain does not stop redaction of what is already known', async () => {
  const store = new MemorySecretStore({ 'phone-admin-password': ADMIN });
  const r = await new Redactor(store).refresh();
  store.list = async () => {
    throw new Error('keychain locked');
  };
  await r.refresh();
  assert.equal(r.redact(ADMIN), '[redacted: phone-admin-password]');
});

test('job logs, step failures and job failures are redacted in events and in the journal', async (t) => {
  const dir = await tempDir(t);
  const r = await redactor();
  const logs: string[] = [];
  const jobs = new JobManager(() => dir, { onUpdate: () => undefined, onLog: (l) => logs.push(l.message) }, r);
  jobs.register({
    kind: 'leaky',
    params: z.object({}),
    resumable: true,
    title: () => 'leaky',
    async run(ctx) {
      ctx.log('info', `using ${ADMIN}`);
      ctx.progress(1, 2, `pushing password=${SIP}`);
      await ctx.step('s', async () => {
        throw new Error(`phone refused ${SIP}`);
      });
    },
  });
  const started = await jobs.start('leaky', {});
  const done = await jobs.wait(started.id);
  assert.equal(done.state, 'failed');
  assert.equal(done.error, 'phone refused [redacted: sip-password:00085D1A2B3C]');
  assert.deepEqual(logs, ['using [redacted: phone-admin-password]']);
  const raw = await readFile(join(dir, `${started.id}.jsonl`), 'utf8');
  for (const v of [ADMIN, ...encodings(SIP)]) assert.ok(!raw.includes(v), `journal holds ${v}`);
  const { entries } = await Journal.read(join(dir, `${started.id}.jsonl`));
  assert.deepEqual(
    entries.filter((e) => e.type !== 'job-started').map((e) => e.type),
    ['log', 'step-begin', 'step-failed', 'job-failed'],
  );
});

test('dispatcher error messages (expected and unexpected) are redacted, also in the internal-error hook', async () => {
  const store = new MemorySecretStore();
  const r = new Redactor(store);
  const seen: unknown[] = [];
  const handlers = {
    'app.info': async () => {
      throw new Error(`boom ${ADMIN} at sftp://u:p4ss@h/`);
    },
    'site.current': async () => {
      throw new FieldkitError('unauthorized', `wrong password ${SIP}`);
    },
  } as unknown as Handlers;
  const dispatch = createDispatcher(handlers, (_n, e) => seen.push(e), r);
  await store.set('phone-admin-password', ADMIN); // set after the dispatcher was made: refreshed on error
  await store.set('sip-password:00085D1A2B3C', SIP);
  const a = await dispatch('app.info', {});
  assert.ok(!a.ok);
  assert.equal(
    a.error.message,
    'Fieldkit hit an unexpected problem during app.info: boom [redacted: phone-admin-password] at sftp://u:********@h/',
  );
  assert.ok(!String((seen[0] as Error).stack).includes(ADMIN));
  const b = await dispatch('site.current', {});
  assert.ok(
    !b.ok &&
      b.error.code === 'unauthorized' &&
      b.error.message === 'wrong password [redacted: sip-password:00085D1A2B3C]',
  );
});

test("CLI error output hides the environment's secrets", async (t) => {
  const dir = await tempDir(t);
  const secret = 'env-sftp-pw-918273';
  process.env.FIELDKIT_SECRET_SFTP_PASSWORD_SITE = secret;
  t.after(() => {
    delete process.env.FIELDKIT_SECRET_SFTP_PASSWORD_SITE;
  });
  const out: string[] = [];
  // A site path that carries the secret: the error names the path, the secret is hidden.
  const code = await runCli(['inventory', 'list', '--site', join(dir, secret)], {
    out: (s) => out.push(s),
    err: (s) => out.push(s),
  });
  assert.equal(code, 1);
  assert.ok(out.join('\n').includes('[redacted: sftp-password:SITE]'), out.join('\n'));
  assert.ok(!out.join('\n').includes(secret));
});

test('values that are prefixes of each other, regex characters, and a 64 KB private key are all hidden', () => {
  const r = new Redactor()
    .learn('Sip-1', 'a')
    .learn('Sip-12', 'b')
    .learn('a.b*c', 'c')
    .learn('-----BEGIN KEY-----\n' + 'k'.repeat(64 * 1024), 'key');
  assert.equal(
    r.redact('Sip-1 Sip-12 Sip-13 a.b*c axbbc'),
    '[redacted: a] [redacted: b] [redacted: a]3 [redacted: c] axbbc',
  );
  assert.equal(r.redact(`x -----BEGIN KEY-----\n${'k'.repeat(64 * 1024)} y`), 'x [redacted: key] y');
});
