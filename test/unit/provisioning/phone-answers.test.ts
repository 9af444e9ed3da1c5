// "Is the phone there?" asks SIP and the web server at once; the question that loses is called off, so nothing of
// it (a socket, a timer) keeps running after the answer: a verify of 500 phones used to exit ~1.8 s late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { phoneAnswers } from '../../../electron/core/provisioning/reboot';
import type { AddressInfo } from 'node:net';

const open = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;

test('the web server answers while SIP stays silent: the SIP probe is closed with the answer', async (t) => {
  const silentSip = createSocket('udp4');
  silentSip.bind(0, '127.0.0.1');
  await once(silentSip, 'listening');
  const web = createServer((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Mitel"' }).end());
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  t.after(() => {
    silentSip.close();
    web.close();
  });
  const target = {
    mac: '00085D000001',
    ip: '127.0.0.1',
    sipPort: (silentSip.address() as AddressInfo).port,
    httpPort: (web.address() as AddressInfo).port,
  };
  const udpBefore = open('UDPWrap');
  const started = performance.now();
  assert.equal(await phoneAnswers(target, 3000, undefined, 1, 0), true);
  assert.ok(performance.now() - started < 2000, 'answered by the web server, not after the SIP timeout');
  await new Promise((resolve) => setTimeout(resolve, 50)); // a socket closes on a later turn
  assert.equal(open('UDPWrap'), udpBefore, 'the SIP probe socket is closed as soon as the web server answered');
});
