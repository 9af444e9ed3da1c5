import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSipRequest,
  buildSipResponse,
  getHeader,
  getHeaders,
  headerParam,
  MAX_SIP_HEADERS,
  parseCSeq,
  parseSipMessage,
  topVia,
} from '../../../electron/core/phone';

describe('SIP message', () => {
  test('parses a phone-style 200 OK to OPTIONS with compact headers and folding', () => {
    const text = [
      'SIP/2.0 200 OK',
      'v: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bKabc;rport=5062, SIP/2.0/UDP 10.0.0.1',
      'f: <sip:fieldkit@10.0.0.9:5062>;tag=1234',
      't: <sip:10.0.0.5:5060>;tag=9',
      'i: call-1@fieldkit',
      'CSeq: 1 OPTIONS',
      'Server: Aastra 6867i/6.5.0.224',
      'Allow: INVITE, ACK,',
      ' CANCEL, BYE',
      'l: 4',
      '',
      'abcdEXTRA',
    ].join('\r\n');
    const r = parseSipMessage(text);
    assert.ok(r.ok);
    const m = r.message;
    assert.equal(m.kind, 'response');
    if (m.kind !== 'response') return;
    assert.equal(m.status, 200);
    assert.equal(m.reason, 'OK');
    assert.equal(getHeader(m, 'Call-ID'), 'call-1@fieldkit');
    assert.equal(getHeader(m, 'i'), 'call-1@fieldkit');
    assert.equal(headerParam(topVia(m), 'branch'), 'z9hG4bKabc');
    assert.equal(headerParam(getHeader(m, 'From'), 'tag'), '1234');
    assert.deepEqual(parseCSeq(getHeader(m, 'CSeq')), { seq: 1, method: 'OPTIONS' });
    assert.equal(getHeader(m, 'Allow'), 'INVITE, ACK, CANCEL, BYE');
    assert.equal(m.body, 'abcd');
  });

  test('build → parse round trip; Content-Length is computed in bytes', () => {
    const text = buildSipRequest(
      'NOTIFY',
      'sip:10.0.0.5:5060',
      [
        ['Event', 'check-sync'],
        ['Content-Length', '99'],
      ],
      'ü',
    );
    assert.match(text, /\r\nContent-Length: 2\r\n\r\nü$/);
    assert.equal(text.match(/Content-Length/g)!.length, 1);
    const r = parseSipMessage(text);
    assert.ok(r.ok && r.message.kind === 'request');
    if (!r.ok || r.message.kind !== 'request') return;
    assert.equal(r.message.method, 'NOTIFY');
    assert.equal(r.message.uri, 'sip:10.0.0.5:5060');
    assert.equal(getHeader(r.message, 'o'), 'check-sync');
    assert.equal(r.message.body, 'ü');
    const resp = parseSipMessage(buildSipResponse(481, 'Call/Transaction Does Not Exist', [['Via', 'SIP/2.0/UDP x']]));
    assert.ok(resp.ok && resp.message.kind === 'response' && resp.message.status === 481);
  });

  test('builder refuses header injection', () => {
    assert.throws(() => buildSipRequest('OPTIONS', 'sip:x', [['To', 'a\r\nEvil: 1']]), /line break/);
    assert.throws(() => buildSipRequest('OP TIONS', 'sip:x', []), /invalid SIP method/);
    assert.throws(() => buildSipRequest('OPTIONS', 'sip:x', [['Bad Name', 'x']]), /invalid SIP header name/);
  });

  test('garbage and limits give errors, not exceptions', () => {
    const bad: (string | Uint8Array)[] = [
      '',
      'hello',
      'HTTP/1.1 200 OK\r\n\r\n',
      'SIP/2.0 999 Nope\r\n\r\n',
      'SIP/2.0 200 OK\r\n continuation first\r\n\r\n',
      'SIP/2.0 200 OK\r\nNoColonHere\r\n\r\n',
      'SIP/2.0 200 OK\r\nContent-Length: 50\r\n\r\nshort',
      'SIP/2.0 200 OK\r\nl: -1\r\n\r\n',
      'SIP/2.0 200 OK\r\n' + 'X-H: 1\r\n'.repeat(MAX_SIP_HEADERS + 1) + '\r\n',
      'x'.repeat(40 * 1024),
      new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28]),
    ];
    for (const input of bad) {
      const r = parseSipMessage(input);
      assert.equal(r.ok, false, String(input).slice(0, 40));
      if (!r.ok) assert.ok(r.error.length > 0);
    }
    assert.deepEqual(
      getHeaders(
        {
          headers: [
            { name: 'Via', value: 'a' },
            { name: 'Via', value: 'b' },
          ],
          body: '',
        },
        'v',
      ),
      ['a', 'b'],
    );
  });

  test('bare LF line endings are tolerated', () => {
    const r = parseSipMessage('SIP/2.0 200 OK\nCall-ID: x\nContent-Length: 0\n\n');
    assert.ok(r.ok);
  });
});
