// First contact with new phones (issue 14 §5, walkthrough defect 12): a phone still on the factory default 22222
// is read and reported as "factory default, replaced at provisioning", not as a phone that rejected the admin
// password; a phone with a previous installer's password is read once the password it has now is entered for it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../../../electron/core/discovery/discover';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { rememberedLogin, rememberLoopbackPhone } from '../../../electron/core/secrets/web-logins';
import { startLab, type LabHandle } from '../../sim/lab';

const PORTS = { sip: 15077, http: 18077, https: null };

describe('discovery and the factory default admin password', () => {
  let lab: LabHandle;
  before(async () => {
    lab = await startLab(
      {
        name: 'factory-default',
        loopbackBase: '127.82.0.0',
        bootMs: 0,
        groups: [
          {
            kind: 'mitel-6800',
            count: 1,
            model: '6867i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:82:00:01',
            ports: PORTS,
          },
          {
            kind: 'mitel-6800',
            count: 1,
            model: '6865i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:82:01:01',
            adminPassword: '13579',
            ports: PORTS,
          },
        ],
      },
      { mode: 'loopback' },
    );
  });
  after(() => lab?.stop());

  const scan = (secrets: MemorySecretStore) =>
    discover(
      {
        ranges: lab.phones.map((p) => p.address),
        sipPorts: [PORTS.sip],
        httpPorts: [PORTS.http],
        onlyListedPorts: true,
        methods: { mdns: false },
      },
      { secrets },
    );

  test('a factory phone is read with 22222 and says so; the other one is refused until its password is entered', async () => {
    const [factory, previous] = lab.phones as [LabHandle['phones'][number], LabHandle['phones'][number]];
    const previousMac = previous.mac.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
    const secrets = new MemorySecretStore({ [secretKeys.adminPassword()]: '482913' });
    const first = await scan(secrets);
    const at = (ip: string) => first.devices.find((d) => d.ip === ip)!;
    assert.equal(at(factory.address).firmware?.source, 'sysinfo');
    assert.ok(
      at(factory.address).flags.notes.includes('Admin password: factory default 22222, replaced at provisioning.'),
    );
    assert.ok(!at(factory.address).flags.notes.some((n) => /rejected/.test(n)));
    const factoryMac = factory.mac.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
    assert.equal(rememberedLogin(secrets, factoryMac), 'factory-default');
    assert.ok(at(previous.address).flags.notes.some((n) => /rejected all 2 admin passwords/.test(n)));
    assert.match(
      at(previous.address).flags.notes.join(' '),
      /in the phone's detail \(Inventory\) under Admin passwords/,
    );

    // The inventory names the phone at its loopback address; the technician enters the password it has now.
    rememberLoopbackPhone(secrets, previous.address, previousMac);
    await secrets.set(secretKeys.phoneCurrentAdminPassword(previousMac), '13579');
    const second = await scan(secrets);
    const again = second.devices.find((d) => d.ip === previous.address)!;
    assert.equal(again.firmware?.source, 'sysinfo');
    assert.ok(!again.flags.notes.some((n) => /rejected|factory default/.test(n)));
    assert.equal(rememberedLogin(secrets, previousMac), 'current-phone');
  });
});
