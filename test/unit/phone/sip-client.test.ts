import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSipResponse,
  createSipProber,
  getHeader,
  headerParam,
  sendCheckSyncNotify,
  sipOptionsProbe,
  topVia,
} from '../../../electron/core/phone';
import { startResponder } from './sip-responder';
import type { Responder } from './sip-responder';

const responders: Responder[] = [];
async function responder(...args: Parameters<typeof startResponder>): Promise<Responder> {
  const r = await startResponder(...args);
  responders.push(r);
  return r;
}
after(async () => {
  await Promise.all(responders.map((r) => r.close()));
});

describe('sipOptionsProbe', () => {
  test('sends a correct OPTIONS and reads the banner', async () => {
    const phone = await responder();
    const result = await sipOptionsProbe({ host: '127.0.0.1', port: phone.port, timeoutMs: 1000 });
    assert.ok(result.ok, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.status, 200);
    assert.equal(result.bannerHeader, 'Server');
    assert.equal(result.banner?.model, '6867i');
    assert.equal(result.banner?.version, '6.5.0.224');
    assert.equal(result.attempts, 1);
    assert.ok(result.rttMs >= 0 && result.rttMs < 1000);

    const req = phone.received[0]!;
    assert.equal(req.method, 'OPTIONS');
    assert.equal(req.uri, `sip:127.0.0.1:${phone.port}`);
    const via = topVia(req)!;
    assert.match(via, /^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$/);
    assert.ok(headerParam(getHeader(req, 'From'), 'tag'));
    assert.equal(headerParam(getHeader(req, 'To'), 'tag'), undefined);
    assert.ok(getHeader(req, 'Call-ID'));
    assert.equal(getHeader(req, 'CSeq'), '1 OPTIONS');
    assert.equal(getHeader(req, 'Max-Forwards'), '70');
    assert.match(getHeader(req, 'Contact')!, /^<sip:fieldkit@127\.0\.0\.1:\d+>$/);
    assert.equal(getHeader(req, 'Accept'), 'application/sdp');
    assert.equal(getHeader(req, 'Content-Length'), '0');
  });

  test('User-Agent is used when there is no Server header', async () => {
    const phone = await responder({ server: 'Mitel 6930/6.4.0.132', bannerInUserAgent: true });
    const r = await sipOptionsProbe({ host: '127.0.0.1', port: phone.port, timeoutMs: 1000 });
    assert.ok(r.ok);
    assert.equal(r.ok && r.bannerHeader, 'User-Agent');
    assert.equal(r.ok && r.banner?.model, '6930');
  });

  test('lost packets: retransmission with the same transaction succeeds', async () => {
    const phone = await responder({ dropFirst: 2 });
    const result = await sipOptionsProbe({
      host: '127.0.0.1',
      port: phone.port,
      timeoutMs: 2000,
      retransmits: 3,
      t1Ms: 50,
    });
    assert.ok(result.ok, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.attempts, 3);
    assert.equal(phone.received.length, 3);
    const branches = new Set(phone.received.map((r) => headerParam(topVia(r), 'branch')));
    const callIds = new Set(phone.received.map((r) => getHeader(r, 'Call-ID')));
    assert.equal(branches.size, 1);
    assert.equal(callIds.size, 1);
    // 50 ms then 100 ms: answer after the third copy, at ~150 ms.
    assert.ok(result.rttMs >= 140 && result.rttMs < 1000, `rtt ${result.rttMs}`);
  });

  test('garbage, wrong-transaction and oversized datagrams are ignored, then the real answer is taken', async () => {
    const phone = await responder({
      junkBefore: (req) => [
        'garbage \x00\xff',
        Buffer.from([0xc3, 0x28, 0xff]),
        buildSipResponse(200, 'OK', [
          ['Via', 'SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKother'],
          ['Call-ID', getHeader(req, 'Call-ID')!],
          ['CSeq', '1 OPTIONS'],
        ]),
        buildSipResponse(200, 'OK', [
          ['Via', getHeader(req, 'Via')!],
          ['Call-ID', 'wrong-call-id'],
          ['CSeq', '1 OPTIONS'],
        ]),
        buildSipResponse(200, 'OK', [
          ['Via', getHeader(req, 'Via')!],
          ['Call-ID', getHeader(req, 'Call-ID')!],
          ['CSeq', '1 INVITE'],
        ]),
        buildSipResponse(
          200,
          'OK',
          [
            ['Via', getHeader(req, 'Via')!],
            ['Call-ID', getHeader(req, 'Call-ID')!],
            ['CSeq', '1 OPTIONS'],
            ['Server', 'Evil/1'],
          ],
          'x'.repeat(40_000),
        ),
      ],
      server: 'Aastra 6865i/6.5.0.224',
    });
    const prober = await createSipProber({ timeoutMs: 1000 });
    const result = await prober.probe('127.0.0.1', phone.port);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.ok && result.banner?.model, '6865i');
    assert.equal(prober.ignored, 6);
    await prober.close();
  });

  test('an oversized answer alone is ignored: timeout', async () => {
    const phone = await responder({ padBody: 40_000 });
    const result = await sipOptionsProbe({
      host: '127.0.0.1',
      port: phone.port,
      timeoutMs: 300,
      retransmits: 1,
      t1Ms: 100,
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error, 'timeout');
  });

  test('silence: timeout after the bounded retransmissions, on time', async () => {
    const phone = await responder({ silent: true });
    const started = performance.now();
    const result = await sipOptionsProbe({
      host: '127.0.0.1',
      port: phone.port,
      timeoutMs: 400,
      retransmits: 5,
      t1Ms: 50,
    });
    const elapsed = performance.now() - started;
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error, 'timeout');
    assert.match(result.message, /No SIP answer from 127\.0\.0\.1:\d+ within 400 ms/);
    // 0, 50, 150, 350 fit in 400 ms; 750 does not.
    assert.equal(result.attempts, 4);
    assert.equal(phone.received.length, 4);
    assert.ok(elapsed >= 390 && elapsed < 800, `elapsed ${elapsed}`);
  });

  test('100 Trying then 200: the final answer wins', async () => {
    const phone = await responder({ trying: true });
    const result = await sipOptionsProbe({ host: '127.0.0.1', port: phone.port, timeoutMs: 1000 });
    assert.ok(result.ok && result.status === 200);
  });

  test('bad port is refused with a clear message', async () => {
    await assert.rejects(sipOptionsProbe({ host: '127.0.0.1', port: 70000 }), /not a port number/);
  });
});

describe('createSipProber: one socket for a sweep', () => {
  test('200 phones on 127.0.1.x answer through one socket; empty addresses time out', async () => {
    const phones = await Promise.all(
      Array.from({ length: 200 }, (_, k) => responder({ server: `Mitel 6867i/6.5.0.${k}` }, `127.0.1.${k + 1}`, 25060)),
    );
    const prober = await createSipProber({ timeoutMs: 800, t1Ms: 100 });
    const port = prober.localPort;
    const started = performance.now();
    const targets = [...phones.map((p) => p.address), '127.0.2.1', '127.0.2.2'];
    const results = await Promise.all(targets.map((host) => prober.probe(host, 25060)));
    const elapsed = performance.now() - started;
    assert.equal(prober.localPort, port);
    const answered = results.filter((r) => r.ok);
    assert.equal(answered.length, 200);
    for (const r of answered) {
      if (!r.ok) continue;
      const k = Number(r.host.split('.')[3]) - 1;
      assert.equal(r.banner?.firmware?.build, k, `${r.host} matched to the wrong answer`);
    }
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => r.host),
      ['127.0.2.1', '127.0.2.2'],
    );
    assert.equal(prober.inFlight, 0);
    assert.ok(elapsed < 1500, `sweep took ${elapsed} ms`);
    await prober.close();
  });

  test('several sockets: probes are spread over them and every answer is matched to its probe', async () => {
    const phones = await Promise.all(
      Array.from({ length: 40 }, (_, k) => responder({ server: `Mitel 6865i/6.5.0.${k}` }, `127.0.3.${k + 1}`, 25061)),
    );
    const prober = await createSipProber({ timeoutMs: 800, t1Ms: 100, sockets: 4 });
    const results = await Promise.all(phones.map((p) => prober.probe(p.address, 25061)));
    for (const r of results) {
      assert.ok(r.ok, JSON.stringify(r));
      if (r.ok)
        assert.equal(
          r.banner?.firmware?.build,
          Number(r.host.split('.')[3]) - 1,
          `${r.host} matched to the wrong answer`,
        );
    }
    const viaPorts = new Set(phones.map((p) => /:(\d+);branch/.exec(topVia(p.received[0]!)!)![1]));
    assert.equal(viaPorts.size, 4, 'each socket sent its share');
    assert.equal(prober.inFlight, 0);
    assert.equal(prober.backlog, 0);
    await prober.close();
  });

  test('close() ends open probes with error closed', async () => {
    const phone = await responder({ silent: true });
    const prober = await createSipProber({ timeoutMs: 5000 });
    const pending = prober.probe('127.0.0.1', phone.port);
    await new Promise((r) => setTimeout(r, 20));
    await prober.close();
    const result = await pending;
    assert.equal(!result.ok && result.error, 'closed');
  });
});

describe('sendCheckSyncNotify', () => {
  test('sends NOTIFY Event: check-sync (phone-facts §4) and returns the status', async () => {
    const phone = await responder();
    const result = await sendCheckSyncNotify({ host: '127.0.0.1', port: phone.port, timeoutMs: 1000 });
    assert.ok(result.ok && result.status === 200);
    const req = phone.received[0]!;
    assert.equal(req.method, 'NOTIFY');
    assert.equal(getHeader(req, 'Event'), 'check-sync');
    assert.equal(getHeader(req, 'Subscription-State'), 'terminated');
    assert.equal(getHeader(req, 'Content-Length'), '0');
    assert.equal(getHeader(req, 'CSeq'), '1 NOTIFY');
  });

  test('a phone that refuses gives its status', async () => {
    const phone = await responder({ status: 489 });
    const result = await sendCheckSyncNotify({ host: '127.0.0.1', port: phone.port, timeoutMs: 1000 });
    assert.ok(result.ok && result.status === 489);
  });
});
