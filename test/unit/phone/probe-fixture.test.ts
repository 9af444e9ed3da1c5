// The capture format is a test fixture: a capture made from the simulator (test/fixtures/phones/simulator-6867i/)
// is read back through the same assumption checks `fieldkit phone probe` runs on a real phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ASSUMPTIONS, checkAssumptions } from '../../../electron/core/phone/assumptions';
import { PhoneCaptureSchema } from '../../../electron/core/phone/probe';
import type { PhoneCapture } from '../../../electron/core/phone/probe';

const dir = fileURLToPath(new URL('../../fixtures/phones/simulator-6867i/', import.meta.url));
const load = async (): Promise<PhoneCapture> =>
  PhoneCaptureSchema.parse(JSON.parse(await readFile(`${dir}capture.json`, 'utf8')));

test('the simulator capture reads back with the stored verdicts, every assumption named with its source', async () => {
  const capture = await load();
  const results = checkAssumptions(capture);
  const stored = JSON.parse(await readFile(`${dir}assumptions.json`, 'utf8')) as {
    assumptions: { id: string; held: unknown }[];
  };
  assert.deepEqual(
    results.map((r) => [r.id, r.held]),
    stored.assumptions.map((a) => [a.id, a.held]),
  );
  assert.equal(results.length, ASSUMPTIONS.length);
  for (const r of results) assert.match(r.source, /^phone-facts §\d/, r.id);
  // The simulator was written from the same public record: every assumption holds on it.
  assert.deepEqual(
    results.filter((r) => r.held !== true).map((r) => r.id),
    [],
  );
  assert.equal(await readFile(`${dir}sysinfo.html`, 'utf8'), capture.sysinfo.html);
});

test('a phone that differs is reported per assumption (e.g. "sysinfo has a MAC row: no")', async () => {
  const capture = await load();
  const real: PhoneCapture = {
    ...capture,
    sip: { ...capture.sip, state: 'no-answer', status: null, reason: null, headers: [], error: 'timeout' },
    http: {
      ...capture.http,
      headers: capture.http.headers.map(([n, v]) => [n, n === 'www-authenticate' ? 'Basic realm="Mitel Web"' : v]),
    },
    sysinfo: {
      ...capture.sysinfo,
      html: capture.sysinfo.html!.replace(/<tr><td>MAC Address<\/td><td>[^<]*<\/td><\/tr>/, ''),
    },
    configurationServer: {
      ...capture.configurationServer,
      fields: { ...capture.configurationServer.fields, fwserver: 'http://10.0.0.9/fw' },
    },
    provisioningUserAgent: null,
  };
  const byId = Object.fromEntries(checkAssumptions(real).map((r) => [r.id, r]));
  assert.equal(byId['sysinfo-mac']!.held, false);
  assert.equal(byId['sysinfo-mac']!.detail, 'No MAC row Fieldkit recognises.');
  assert.equal(byId['sip-options-answered']!.held, false);
  assert.equal(byId['sip-server-banner']!.held, 'unknown');
  assert.equal(byId['realm-names-model']!.held, false);
  assert.equal(byId['no-local-firmware-server-field']!.held, false);
  assert.equal(byId['provisioning-user-agent']!.held, 'unknown');
  assert.equal(byId['sysinfo-firmware-version']!.held, true);
});

test('no password value is in the fixture', async () => {
  const text = await readFile(`${dir}capture.json`, 'utf8');
  assert.doesNotMatch(text, /22222/);
  const capture = await load();
  for (const [name, value] of Object.entries(capture.configurationServer.fields))
    if (/pass/i.test(name)) assert.ok(value === '' || value === '********', name);
});
