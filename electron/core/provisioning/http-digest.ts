// HTTP digest authentication (RFC 2617, MD5, qop=auth) for the built-in server: the phones' HTTP client
// supports it for configuration downloads (`http digest username` / `http digest password`, AG420 p.5-314).
//
// How a phone gets its credentials before its first fetch (AG331 p.5-273, p.A-81): a factory-new phone
// answers a digest challenge with the documented default user "aastra" and password "aastra". The
// server accepts that only while the site allows it (digest.factoryLogin), and only for what a phone needs
// to learn its own credentials: the global files and its own <MAC>.cfg (still bound to its address and
// User-Agent). That file gives it `http digest username: fk<MAC>` and a password derived from the site
// secret; from its next request on it must use those, and the factory login is refused for that MAC.
// (The other documented way is the phone's LOG IN softkey with `http digest force login: 1`, typing the
// credentials at the phone.)
//
// Nonces are stateless: `<time>.<HMAC(key, time)>`, valid for NONCE_TTL_MS.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const DIGEST_REALM = 'Fieldkit provisioning';
export const FACTORY_DIGEST = { user: 'aastra', password: 'aastra' } as const;
const NONCE_TTL_MS = 5 * 60_000;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class DigestAuth {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  nonce(): string {
    const t = this.now().toString(36);
    return `${t}.${createHmac('sha256', this.key).update(t).digest('base64url').slice(0, 22)}`;
  }

  private nonceValid(nonce: string): boolean {
    const [t, mac] = nonce.split('.');
    if (!t || !mac) return false;
    const expected = createHmac('sha256', this.key).update(t).digest('base64url').slice(0, 22);
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return false;
    const at = parseInt(t, 36);
    return Number.isFinite(at) && this.now() - at <= NONCE_TTL_MS && at <= this.now() + 1000;
  }

  challenge(stale = false): string {
    return `Digest realm="${DIGEST_REALM}", qop="auth", nonce="${this.nonce()}", algorithm=MD5${stale ? ', stale=true' : ''}`;
  }

  /**
   * The user name the Authorization header claims, if it is a well-formed digest answer to one of our
   * nonces for `method` and `uri`; the password check is `verify`.
   */
  parse(header: string | undefined, method: string, uri: string): DigestAnswer | { stale: true } | undefined {
    if (!header || header.length > 2048 || !/^Digest\s/i.test(header)) return undefined;
    const params: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/([a-z]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/gi))
      params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
    const { username, realm, nonce, response, qop, nc, cnonce } = params;
    if (!username || !nonce || !response || realm !== DIGEST_REALM || params.uri !== uri) return undefined;
    if (!this.nonceValid(nonce)) return { stale: true };
    if (qop !== undefined && (qop !== 'auth' || !nc || !cnonce)) return undefined;
    return { username, nonce, response, method, uri, ...(qop ? { qop, nc: nc!, cnonce: cnonce! } : {}) };
  }

  /** Whether the answer was computed with `password`. */
  verify(answer: DigestAnswer, password: string): boolean {
    const ha1 = md5(`${answer.username}:${DIGEST_REALM}:${password}`);
    const ha2 = md5(`${answer.method}:${answer.uri}`);
    const expected = answer.qop
      ? md5(`${ha1}:${answer.nonce}:${answer.nc}:${answer.cnonce}:${answer.qop}:${ha2}`)
      : md5(`${ha1}:${answer.nonce}:${ha2}`);
    return (
      answer.response.length === expected.length && timingSafeEqual(Buffer.from(answer.response), Buffer.from(expected))
    );
  }
}

export interface DigestAnswer {
  username: string;
  nonce: string;
  response: string;
  method: string;
  uri: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** A client's Authorization header for a challenge (what a phone computes; used by tests and the simulator). */
export function digestAuthorization(
  challenge: string,
  user: string,
  password: string,
  method: string,
  uri: string,
  cnonce = randomBytes(8).toString('hex'),
): string {
  const get = (name: string) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1] ?? '';
  const realm = get('realm');
  const nonce = get('nonce');
  const nc = '00000001';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
}
