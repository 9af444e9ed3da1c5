import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assessFirmware,
  classifyDevice,
  compareFirmware,
  formatFirmwareVersion,
  isSupportedModel,
  lookupOui,
  macFileStem,
  normaliseModel,
  OSV_MINIMUM,
  parseFirmwareVersion,
  parseMac,
  parseProvisioningUserAgent,
  parseSipBanner,
  parseSysinfo,
  requireMac,
} from '../../../electron/core/phone';

describe('mac', () => {
  test('every spelling gives the canonical form', () => {
    for (const s of [
      '00:08:5D:1A:2B:3C',
      '00-08-5d-1a-2b-3c',
      '0008.5d1a.2b3c',
      '00085D1A2B3C',
      '00085d1a2b3c',
      ' 00:08:5d:1A:2b:3C ',
      '0:8:5d:1a:2b:3c',
    ]) {
      assert.equal(parseMac(s), '00:08:5D:1A:2B:3C', s);
    }
  });
  test('garbage is refused', () => {
    for (const s of [
      '',
      '00:08:5D:1A:2B',
      '00:08:5D:1A:2B:3C:4D',
      '00:08-5D:1A:2B:3C',
      'GG085D1A2B3C',
      '00085D1A2B3',
      'x'.repeat(1000),
      '000:08:5D:1A:2B:3C',
    ]) {
      assert.equal(parseMac(s), null, s);
    }
  });
  test('requireMac explains the accepted formats', () => {
    assert.throws(() => requireMac('nope'), /not a MAC address.*00:08:5D:1A:2B:3C/);
  });
  test('file stem is 12 uppercase hex (phone-facts §1)', () => {
    assert.equal(macFileStem('00-08-5d-1a-2b-3c'), '00085D1A2B3C');
  });
  test('OUI lookup (phone-facts §3)', () => {
    assert.equal(lookupOui('00:08:5D:40:90:5F')?.vendor, 'Aastra');
    assert.equal(lookupOui('00-10-bc-00-00-01')?.vendor, 'Aastra');
    assert.equal(lookupOui('08:00:0F:12:34:56')?.vendor, 'Mitel');
    assert.deepEqual(lookupOui('14:00:E9:00:00:01'), { oui: '14:00:E9', vendor: 'Mitel', family: '6900' });
    assert.equal(lookupOui('AA:BB:CC:DD:EE:FF'), null);
    assert.equal(lookupOui('garbage'), null);
  });
});

describe('models', () => {
  test('normalisation', () => {
    const cases: [string, string | null][] = [
      ['6867i', '6867i'],
      ['6867', '6867i'],
      ['Mitel 6867i', '6867i'],
      ['Aastra6867i', '6867i'],
      ['AastraIPPhone6867i', '6867i'],
      ['MitelMINET_6930', '6930'],
      ['Mitel-6920-SIP', '6920'],
      ['6865I', '6865i'],
      ['Aastra 6757i', '6757i'],
      ['57i', '57i'],
      ['Mitel 6915', '6915'],
      ['', null],
      ['Yealink T46', null],
      ['6867i Revision 0', null],
    ];
    for (const [input, want] of cases) assert.equal(normaliseModel(input), want, input);
  });
  test('supported and classification', () => {
    assert.ok(isSupportedModel('Mitel 6867'));
    assert.ok(isSupportedModel('6865i'));
    assert.ok(!isSupportedModel('6869i'));
    assert.equal(classifyDevice({ model: '6867i', vendor: 'Mitel' }), 'supported');
    assert.equal(classifyDevice({ model: '6930', vendor: 'Mitel', answeredSip: true }), 'other-mitel');
    assert.equal(classifyDevice({ vendor: 'Aastra' }), 'other-mitel');
    assert.equal(classifyDevice({ vendor: 'Yealink', answeredSip: true }), 'other-sip');
    assert.equal(classifyDevice({}), 'unknown');
  });
});

describe('firmware version', () => {
  test('accepted spellings', () => {
    for (const s of [
      '6.5.0.224',
      'V6.5.0.224',
      'V 6.5.0.224',
      'V:6.5.0.224-SIP',
      '6.5.0.224-SIP',
      ' 6.5.0.224 ',
      'v:6.5.0.224-sip',
    ]) {
      assert.deepEqual(parseFirmwareVersion(s), { major: 6, minor: 5, patch: 0, build: 224 }, s);
    }
  });
  test('refused spellings', () => {
    for (const s of ['6.5.0', '6.5.0.224.1', '6.5.x.224', '', 'R6.4.0.SP4', '1'.repeat(100)])
      assert.equal(parseFirmwareVersion(s), null, s);
  });
  test('compare and format (phone-facts §2 versions)', () => {
    const order = ['4.1.0.128', '4.2.0.181', '4.2.0.2023', '4.3.0.2036', '5.0.0.1018', '6.4.0.140', '6.5.0.224'].map(
      (s) => parseFirmwareVersion(s)!,
    );
    for (let k = 1; k < order.length; k++) assert.ok(compareFirmware(order[k - 1]!, order[k]!) < 0);
    assert.equal(compareFirmware(parseFirmwareVersion('6.5.0.224')!, OSV_MINIMUM), 0);
    assert.equal(formatFirmwareVersion(OSV_MINIMUM), '6.5.0.224');
  });
});

describe('firmware assessment', () => {
  test('6.5.0.224 on a 6867i is fine', () => {
    const a = assessFirmware('6.5.0.224', '6867i');
    assert.equal(a.belowOsvMinimum, false);
    assert.deepEqual(a.vulnerable, []);
    assert.deepEqual(a.possiblyVulnerable, []);
  });
  test('5.0.0.1018 is below the OSV minimum and named by CVE-2024-31963..31967 and 41710', () => {
    const a = assessFirmware('V:5.0.0.1018-SIP', 'Aastra6867i');
    assert.equal(a.belowOsvMinimum, true);
    assert.deepEqual(a.vulnerable, [
      'CVE-2024-31963',
      'CVE-2024-31964',
      'CVE-2024-31965',
      'CVE-2024-31966',
      'CVE-2024-31967',
      'CVE-2024-41710',
      'CVE-2025-47188',
    ]);
  });
  test('6.3.x cannot be placed relative to "6.3 SP3 HF4": possibly vulnerable, with a note', () => {
    const a = assessFirmware('6.3.0.1020', '6865i');
    assert.ok(a.possiblyVulnerable.includes('CVE-2024-31964'));
    assert.ok(a.vulnerable.includes('CVE-2024-41710'));
    assert.ok(a.notes.some((n) => n.includes('may or may not')));
  });
  test('6.4.0.140 (WAZO pin): past 41710, before the 6.4.0 SP5 fix of 47188 maybe', () => {
    const a = assessFirmware('6.4.0.140', '6867i');
    assert.deepEqual(a.vulnerable, []);
    assert.deepEqual(a.possiblyVulnerable, ['CVE-2025-47188']);
    assert.equal(a.belowOsvMinimum, true);
  });
  test('unknown version and non-6800 model', () => {
    assert.equal(assessFirmware(null, '6867i').belowOsvMinimum, null);
    const old = assessFirmware('2.5.1.41', '51i');
    assert.deepEqual(old.vulnerable, []);
    assert.ok(old.notes.some((n) => n.includes('not in them')));
  });
});

describe('SIP banners (phone-facts §3)', () => {
  test('Mitel/Aastra forms', () => {
    const cases: [string, string, string, string][] = [
      ['Aastra 6867i/6.5.0.224', 'Aastra', '6867i', '6.5.0.224'],
      ['Mitel 6867i/6.5.0.224', 'Mitel', '6867i', '6.5.0.224'],
      ['Mitel 6930/6.4.0.132', 'Mitel', '6930', '6.4.0.132'],
      ['Aastra 6731i/3.2.2.3077', 'Aastra', '6731i', '3.2.2.3077'],
      ['Aastra 51i/2.5.1.41', 'Aastra', '51i', '2.5.1.41'],
      ['Mitel-6920-SIP/6.4.0.140', 'Mitel', '6920', '6.4.0.140'],
    ];
    for (const [raw, vendor, model, version] of cases) {
      const b = parseSipBanner(raw)!;
      assert.equal(b.mitel, true, raw);
      assert.equal(b.vendor, vendor, raw);
      assert.equal(b.model, model, raw);
      assert.equal(b.version, version, raw);
      assert.equal(formatFirmwareVersion(b.firmware!), version);
    }
  });
  test('other vendors, best effort', () => {
    assert.deepEqual(pick(parseSipBanner('Yealink SIP-T46S 66.85.0.5')), {
      vendor: 'Yealink',
      product: 'SIP-T46S',
      version: '66.85.0.5',
      mitel: false,
    });
    assert.deepEqual(pick(parseSipBanner('Asterisk PBX 18.20.0')), {
      vendor: 'Asterisk',
      product: 'PBX',
      version: '18.20.0',
      mitel: false,
    });
    assert.deepEqual(pick(parseSipBanner('Cisco-SIPGateway/IOS-15.x')), {
      vendor: 'Cisco',
      product: 'SIPGateway',
      version: 'IOS-15.x',
      mitel: false,
    });
    assert.deepEqual(pick(parseSipBanner('Mitel SIP Phone')), {
      vendor: 'Mitel',
      product: 'SIP Phone',
      version: null,
      mitel: false,
    });
    assert.equal(parseSipBanner(''), null);
    assert.equal(parseSipBanner('A'.repeat(5000)), null);
  });
  function pick(b: ReturnType<typeof parseSipBanner>) {
    return b && { vendor: b.vendor, product: b.product, version: b.version, mitel: b.mitel };
  }
});

describe('provisioning User-Agent (phone-facts §3)', () => {
  test('6867i form', () => {
    const ua = parseProvisioningUserAgent('Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP')!;
    assert.deepEqual(
      { ...ua, firmware: undefined },
      {
        raw: 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
        vendor: 'Aastra',
        model: '6867i',
        mac: '00:08:5D:1A:2B:3C',
        version: '6.5.0.224',
        firmware: undefined,
        minet: false,
      },
    );
  });
  test('WAZO examples and tolerated variants', () => {
    assert.equal(parseProvisioningUserAgent('Aastra6863i MAC:00-08-5D-40-90-5F V:4.1.0.128-SIP')?.version, '4.1.0.128');
    const m = parseProvisioningUserAgent('Mitel6930 MAC:14-00-E9-01-02-03 V:6.4.0.140-SIP')!;
    assert.equal(m.vendor, 'Mitel');
    assert.equal(m.model, '6930');
    assert.equal(parseProvisioningUserAgent('aastra6865i  mac:00085d1a2b3c  v:6.5.0.224')?.mac, '00:08:5D:1A:2B:3C');
    const minet = parseProvisioningUserAgent('MitelMINET_6930 MAC:14-00-E9-01-02-03 V:1.5.2.18')!;
    assert.equal(minet.minet, true);
    assert.equal(minet.model, '6930');
    assert.equal(parseProvisioningUserAgent('Aastra6867i MAC:zz V:6.5.0.224-SIP')?.mac, null);
    assert.equal(parseProvisioningUserAgent('Mozilla/5.0 (X11; Linux x86_64)'), null);
    assert.equal(parseProvisioningUserAgent(`Aastra6867i MAC:00-08-5D-1A-2B-3C V:${'9'.repeat(1000)}`), null);
  });
});

describe('sysinfo.html (phone-facts §3)', () => {
  const page = `<HTML><BODY><TABLE class="x">
    <TR>
      <TD style="BORDER-BOTTOM: 1px dashed">Platform</TD>
      <TD style="BORDER-BOTTOM: 1px dashed">6867i Revision 0</TD></TR>
    <tr><td>Firmware Version</td><td>6.5.0.224</td></tr>
    <tr><td>Firmware Release Code</td><td>SIP</td></tr>
    <tr><TH>MAC Address:</TH><td> 00-08-5D-1A-2B-3C </td></tr>
    </TABLE>
    <table><tr><td>Line</td><td>SIP Account</td><td>Status</td></tr>
    <tr><td>1</td><td>1000@10.0.0.1</td><td>Registered</td></tr>
    <tr><td>2</td><td>1001@10.0.0.1</td><td>Registered</td></tr></table></BODY></HTML>`;
  test('NeDi/ELX style page', () => {
    const info = parseSysinfo(page)!;
    assert.equal(info.firmwareVersion, '6.5.0.224');
    assert.equal(info.platform, '6867i Revision 0');
    assert.equal(info.model, '6867i');
    assert.equal(info.hardwareRevision, '0');
    assert.equal(info.mac, '00:08:5D:1A:2B:3C');
    assert.equal(info.releaseCode, 'SIP');
    assert.equal(info.line1User, '1000');
  });
  test('entities, case, attributes and odd whitespace', () => {
    const info = parseSysinfo(
      `<td class=a>firmware&nbsp;version</td>\n<td\nalign="left">&#54;.5.0.224</td><td>mac</td><td>00085D1A2B3C</td><td>PLATFORM :</td><td>9112i&#x20;Revision 2</td>`,
    )!;
    assert.equal(info.firmwareVersion, '6.5.0.224');
    assert.equal(info.mac, '00:08:5D:1A:2B:3C');
    assert.equal(info.model, '9112i');
    assert.equal(info.hardwareRevision, '2');
  });
  test('labels from the network cannot pollute prototypes', () => {
    const info = parseSysinfo('<td>__proto__</td><td>x</td><td>constructor</td><td>y</td>')!;
    assert.equal(info.fields['__proto__'], 'x');
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });
  test('oversized page is refused; empty page gives nulls', () => {
    assert.equal(parseSysinfo('x'.repeat(600 * 1024)), null);
    assert.equal(parseSysinfo('')!.firmwareVersion, null);
  });
});
