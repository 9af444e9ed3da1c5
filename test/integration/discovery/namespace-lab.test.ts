// Discovery from the technician namespace against 200 simulated devices in 198.18.0.0/24 (root only).
// Completeness is asserted here; speed is measured by `npm run bench`.
// Then a few phones spread over a /21 on the technician's own segment: more empty addresses than the OS can
// resolve at once, so the sweep must pace itself or phones late in the range are silently never asked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMac } from '../../../electron/core/phone';
import { cleanupStaleLabs, startLab } from '../../sim/lab';
import { isRoot } from '../../sim/netns';
import { ADMIN_PASSWORD, NON_DEFAULT, SCAN_200_SPEC, SPREAD_21_SPEC } from '../../bench/discovery-lab-spec';
import { discoverInTech } from '../../bench/run-in-namespace';
import type { LabHandle } from '../../sim/lab';
import type { NamespaceDiscovery } from '../../bench/run-in-namespace';

const OWN_PASSWORD = '2718281828';

describe(
  'discovery in a namespace lab (200 devices in a /24)',
  { skip: isRoot() ? false : 'needs root for network namespaces' },
  () => {
    let lab: LabHandle;
    let run: NamespaceDiscovery;
    before(async () => {
      cleanupStaleLabs();
      lab = await startLab(SCAN_200_SPEC, { mode: 'namespace' });
      run = await discoverInTech(
        lab,
        {
          ranges: ['198.18.0.0/24'],
          sipPorts: [NON_DEFAULT.sip],
          httpPorts: [NON_DEFAULT.http],
          httpsPorts: [NON_DEFAULT.https],
        },
        ADMIN_PASSWORD,
      );
    });
    after(() => lab?.stop());

    test('every phone is found with model, firmware (from sysinfo) and its real MAC (from the neighbour table)', () => {
      assert.equal(lab.phones.length, 190);
      const byIp = new Map(run.devices.map((d) => [d.ip, d]));
      for (const p of lab.phones) {
        const d = byIp.get(p.address);
        assert.ok(d, `phone ${p.address} found`);
        assert.equal(d.classification, 'supported', p.address);
        assert.equal(d.model?.value, p.model, p.address);
        assert.equal(d.firmware?.value, p.firmware, p.address);
        assert.equal(d.firmware?.source, 'sysinfo', p.address);
        assert.equal(d.mac?.value, parseMac(p.mac), p.address);
        assert.equal(d.mac?.source, 'neighbour', p.address);
        assert.ok(d.sources.includes('neighbour') && d.sources.includes('sysinfo'), p.address);
      }
    });

    test('other devices are classified; nothing else shows up', () => {
      assert.equal(run.devices.length, lab.devices.length);
      assert.equal(run.summary.byClassification['other-sip'], 5);
      assert.equal(run.summary.byClassification['other-mitel'], 5);
      assert.equal(run.summary.byClassification.supported, 190);
      assert.equal(run.summary.addressesDone, 254);
    });
  },
);

describe(
  'discovery of phones spread over a /21 on the own segment',
  { skip: isRoot() ? false : 'needs root for network namespaces' },
  () => {
    test('every phone answers SIP, also those after ~2,000 silent addresses; the pace and memory are bounded', async () => {
      cleanupStaleLabs();
      const lab = await startLab(SPREAD_21_SPEC, { mode: 'namespace' });
      try {
        assert.match(lab.phones.at(-1)!.address, /^198\.18\.7\./, 'the last phone sits at the end of the /21');
        const run = await discoverInTech(lab, { ranges: ['198.18.0.0/21'], methods: { mdns: false } }, ADMIN_PASSWORD);
        assert.equal(run.summary.addressesDone, 2046);
        assert.equal(run.summary.onLinkAddresses, 2046);
        for (const p of lab.phones) {
          const d = run.devices.find((x) => x.ip === p.address);
          assert.ok(
            d?.sources.includes('sip'),
            `phone ${p.address} answered SIP (sources: ${d?.sources.join(',') ?? 'not found'})`,
          );
          assert.equal(d?.firmware?.value, p.firmware, p.address);
        }
        assert.deepEqual(run.summary.sweep?.sipSendFailed, {});
        assert.ok(run.peakRss < 400 * 1024 * 1024, `peak RSS ${run.peakRss}`);
      } finally {
        await lab.stop();
      }
    });
  },
);

describe(
  'a phone with its own admin password, on the own segment',
  { skip: isRoot() ? false : 'needs root for network namespaces' },
  () => {
    test('its MAC is looked up before its sysinfo is read, so its own password is used: no refusal', async () => {
      cleanupStaleLabs();
      const lab = await startLab(
        {
          name: 'discovery-own-password',
          bootMs: 0,
          groups: [
            { kind: 'mitel-6800', count: 3, model: '6867i', versions: ['6.5.0.224'], macStart: '00:08:5D:72:00:01' },
            {
              kind: 'mitel-6800',
              count: 1,
              model: '6865i',
              versions: ['6.4.0.140'],
              macStart: '00:08:5D:73:00:01',
              adminPassword: OWN_PASSWORD,
            },
          ],
        },
        { mode: 'namespace' },
      );
      try {
        const own = lab.phones.find((p) => p.mac.replace(/:/g, '').toUpperCase() === '00085D730001')!;
        const run = await discoverInTech(
          lab,
          { ranges: ['198.18.0.0/28'], methods: { mdns: false } },
          ADMIN_PASSWORD,
          60_000,
          { FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_00085D730001: OWN_PASSWORD },
        );
        assert.equal(run.summary.sweep?.sysinfoRejected, 0, JSON.stringify(run.devices.map((d) => d.flags.notes)));
        for (const p of lab.phones) {
          const d = run.devices.find((x) => x.ip === p.address);
          assert.equal(d?.firmware?.source, 'sysinfo', p.address);
          assert.equal(d?.firmware?.value, p.firmware, p.address);
        }
        assert.equal(run.devices.find((x) => x.ip === own.address)?.model?.value, '6865i');
      } finally {
        await lab.stop();
      }
    });
  },
);
