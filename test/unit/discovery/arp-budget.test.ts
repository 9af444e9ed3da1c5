import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import {
  ArpBudget,
  countOnLink,
  minimumOnLinkMs,
  onLinkDurationWarning,
  onLinkMatcher,
  onLinkRanges,
  systemArpBudget,
} from '../../../electron/core/discovery/arp-budget';
import { parseTargets } from '../../../electron/core/discovery/ranges';

const iface = (address: string, netmask: string, internal = false): NetworkInterfaceInfo =>
  ({ address, netmask, family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: null }) as NetworkInterfaceInfo;

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('onLinkMatcher', () => {
  test('addresses in the laptop own subnets are on-link; loopback and other subnets are not', () => {
    const onLink = onLinkMatcher(
      onLinkRanges({ eth0: [iface('198.18.3.7', '255.255.0.0')], lo: [iface('127.0.0.1', '255.0.0.0', true)] }),
    );
    assert.equal(onLink('198.18.200.1'), true);
    assert.equal(onLink('198.19.0.1'), false);
    assert.equal(onLink('127.0.0.5'), false);
  });

  test('no interfaces: nothing is on-link', () => {
    assert.equal(onLinkMatcher(onLinkRanges({}))('198.18.0.1'), false);
  });
});

describe('how long the OS makes a scan of the own segment take', () => {
  const onLink = onLinkRanges({ eth0: [iface('198.18.3.7', '255.255.0.0')] });
  test('counts only the targets on the own segments', () => {
    const targets = parseTargets(['198.18.0.0/24', '198.19.0.0/24', '198.18.200.1-198.18.200.10'], {}).ranges;
    assert.equal(countOnLink(targets, onLink), 254 + 10);
  });

  test('a /16 on the own segment is announced with its minimum time; a /24 is not', () => {
    const settings = { slots: 819, holdMs: 3300 };
    assert.equal(minimumOnLinkMs(65_534, settings), 81 * 3300);
    const text = onLinkDurationWarning(countOnLink(parseTargets(['198.18.0.0/16'], {}).ranges, onLink), settings);
    assert.match(
      text ?? '',
      /^65,534 addresses are on the laptop's own network segment\. .* about 819 of them at once .* takes about 4 min\. To go faster/,
    );
    assert.equal(onLinkDurationWarning(254, settings), null);
  });
});

describe('systemArpBudget', () => {
  test('gives a usable budget on any machine', () => {
    const b = systemArpBudget();
    assert.ok(b.slots >= 32, `slots ${b.slots}`);
    assert.ok(b.holdMs >= 1000 && b.holdMs <= 60_000, `holdMs ${b.holdMs}`);
  });

  test("reads the table size and the slowest interface's ARP give-up time; without /proc it falls back", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fieldkit-neigh-'));
    try {
      const write = async (iface: string, values: Record<string, number>) => {
        await mkdir(join(dir, iface), { recursive: true });
        for (const [name, value] of Object.entries(values)) await writeFile(join(dir, iface, name), `${value}\n`);
      };
      await write('default', { gc_thresh3: 2048, mcast_solicit: 3, app_solicit: 0, retrans_time_ms: 1000 });
      await write('eth0', { mcast_solicit: 3, app_solicit: 0, retrans_time_ms: 1000 });
      await write('wlan0', { mcast_solicit: 5, app_solicit: 1, retrans_time_ms: 2000 });
      await write('lo', { mcast_solicit: 9, retrans_time_ms: 9000 });
      assert.deepEqual(systemArpBudget(dir, ['lo', 'eth0']), { slots: 1638, holdMs: 3300 });
      assert.deepEqual(
        systemArpBudget(dir, ['lo', 'eth0', 'wlan0', 'gone0']),
        { slots: 1638, holdMs: 12_300 },
        '(5 + 1) x 2 s on wlan0',
      );
      assert.deepEqual(systemArpBudget(join(dir, 'missing'), ['eth0']), { slots: 512, holdMs: 3300 });
      // A network namespace: no `default` entry, only its own interfaces; the table is the kernel's shared one.
      await rm(join(dir, 'default'), { recursive: true });
      assert.deepEqual(systemArpBudget(dir, ['lo', 'wlan0']), { slots: 819, holdMs: 12_300 }, 'Linux default 1024');
      assert.deepEqual(systemArpBudget(dir, ['eth0']), { slots: 819, holdMs: 3300 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ArpBudget', () => {
  test('on-link addresses wait for a free entry; a silent one keeps it until ARP gave up, an answer frees it', async () => {
    const budget = new ArpBudget({ slots: 2, holdMs: 150 }, (ip) => ip.startsWith('198.18.'));
    const a = await budget.enter('198.18.0.1');
    const b = await budget.enter('198.18.0.2');
    a.probing();
    b.probing();
    let thirdIn = false;
    const third = budget.enter('198.18.0.3').then((h) => ((thirdIn = true), h));
    a.done(false); // silent: still unresolved in the OS
    await tick(40);
    assert.equal(thirdIn, false, 'a silent address keeps its entry after its probes ended');
    b.done(true); // answered: resolved, frees at once
    await tick(10);
    assert.equal(thirdIn, true);
    let fourthIn = false;
    const fourth = budget.enter('198.18.0.4').then((h) => ((fourthIn = true), h));
    await tick(40);
    assert.equal(fourthIn, false);
    await tick(150); // a's hold ran out
    assert.equal(fourthIn, true);
    (await third).done(false);
    (await fourth).done(false);
  });

  test('off-link addresses pass without taking an entry; done before probing frees at once', async () => {
    const budget = new ArpBudget({ slots: 1, holdMs: 10_000 }, () => false);
    const holds = await Promise.all(Array.from({ length: 50 }, (_, i) => budget.enter(`10.0.0.${i}`)));
    for (const h of holds) h.done(false);
    const onLinkBudget = new ArpBudget({ slots: 1, holdMs: 10_000 }, () => true);
    (await onLinkBudget.enter('198.18.0.1')).done(false); // never probed (e.g. cancelled): nothing to wait for
    const next = await Promise.race([onLinkBudget.enter('198.18.0.2'), tick(200).then(() => null)]);
    assert.ok(next !== null, 'entry was freed');
    next.done(true);
  });

  test('cancel: waiting for an entry fails with cancelled', async () => {
    const ac = new AbortController();
    const budget = new ArpBudget({ slots: 1, holdMs: 10_000 }, () => true, ac.signal);
    (await budget.enter('198.18.0.1')).probing();
    const waiting = budget.enter('198.18.0.2');
    ac.abort();
    await assert.rejects(waiting, /cancelled/);
  });
});
