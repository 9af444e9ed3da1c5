// A tiny UDP SIP responder for sip-client tests: answers like a phone, with switchable faults.
import dgram from 'node:dgram';
import { buildSipResponse, getHeader, getHeaders, parseSipMessage } from '../../../electron/core/phone';
import type { SipRequest } from '../../../electron/core/phone';

export interface ResponderBehaviour {
  /** Drop this many requests before answering. */
  dropFirst?: number;
  /** Send these datagrams before the real answer. */
  junkBefore?: (req: SipRequest) => (string | Buffer)[];
  /** Never answer. */
  silent?: boolean;
  /** Status to send; default 200. */
  status?: number;
  server?: string;
  /** Put the banner in User-Agent instead of Server. */
  bannerInUserAgent?: boolean;
  /** Extra body bytes to pad the answer (to make it oversized). */
  padBody?: number;
  /** Send a 100 Trying first. */
  trying?: boolean;
}

export interface Responder {
  port: number;
  address: string;
  received: SipRequest[];
  close(): Promise<void>;
}

export async function startResponder(
  behaviour: ResponderBehaviour = {},
  address = '127.0.0.1',
  port = 0,
): Promise<Responder> {
  const socket = dgram.createSocket('udp4');
  const received: SipRequest[] = [];
  let dropped = 0;
  socket.on('message', (data, rinfo) => {
    const parsed = parseSipMessage(data);
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    const req = parsed.message;
    received.push(req);
    if (behaviour.silent) return;
    if (dropped < (behaviour.dropFirst ?? 0)) {
      dropped++;
      return;
    }
    const echo = (): [string, string][] => [
      ...getHeaders(req, 'Via').map((v): [string, string] => ['Via', v]),
      ['From', getHeader(req, 'From') ?? ''],
      ['To', `${getHeader(req, 'To') ?? ''};tag=phone1`],
      ['Call-ID', getHeader(req, 'Call-ID') ?? ''],
      ['CSeq', getHeader(req, 'CSeq') ?? ''],
    ];
    const send = (msg: string | Buffer): void => {
      socket.send(msg, rinfo.port, rinfo.address);
    };
    for (const junk of behaviour.junkBefore?.(req) ?? []) send(junk);
    if (behaviour.trying) send(buildSipResponse(100, 'Trying', echo()));
    const headers = echo();
    headers.push(
      [behaviour.bannerInUserAgent ? 'User-Agent' : 'Server', behaviour.server ?? 'Aastra 6867i/6.5.0.224'],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, NOTIFY, OPTIONS'],
    );
    send(buildSipResponse(behaviour.status ?? 200, 'OK', headers, 'x'.repeat(behaviour.padBody ?? 0)));
  });
  await new Promise<void>((resolve) => socket.bind(port, address, () => resolve()));
  return {
    port: socket.address().port,
    address,
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
