// Which certificates a simulated 6867i/6865i trusts, modelled on the public record (not on Fieldkit):
//
// - HTTPS provisioning (XMLGUIDE p.205): the phone checks the configuration server's certificate against
//   its trust store, a few built-in public roots plus the certificates loaded with `https user
//   certificates`, unless `https validate certificates: 0` (what wazo-provd writes). `https validate
//   hostname: 0` and `https validate expires: 0` relax the name and the date check. The 6.x root list is not
//   public; XMLGUIDE names Verisign, GeoTrust and Thawte, whose roots are DigiCert's today, so the built-in
//   store is Node's Mozilla roots issued under those names.
// - SIP over TLS (AG331 p.A-84; WAZO base.tpl writes the file into the served folder): with `sip transport
//   protocol: 4` the phone needs the certificates of `sips trusted certificates`, a file it fetches from its
//   configuration server. Without them (or with a file that holds none) TLS to the proxy fails, and line 1
//   does not register; the reason is in the phone's state. When the lab gives the phone the proxy's
//   certificate (`sipProxyCertificate`), it must also be issued by one of the trusted certificates.
//
// Both files are fetched from the configuration server the phone read its .cfg files from, in the same boot.
import { X509Certificate } from 'node:crypto';
import { rootCertificates, checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CfgEntry } from './cfg-file';

const PEM = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;
const BUILTIN_NAMES = /VeriSign|GeoTrust|thawte|DigiCert/i;

let builtin: string[] | undefined;
/** The phone's built-in public roots (see the file comment). */
export function builtinRoots(): string[] {
  builtin ??= rootCertificates.filter((pem) => BUILTIN_NAMES.test(new X509Certificate(pem).subject));
  return builtin;
}

export function certificatesIn(text: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const m of text.matchAll(PEM)) {
    try {
      out.push(new X509Certificate(m[0]));
    } catch {
      // an unreadable block is skipped, as a phone ignores what it cannot parse
    }
  }
  return out;
}

export interface HttpsPolicy {
  validate: boolean;
  hostname: boolean;
  expires: boolean;
  /** Built-in roots and user certificates (PEM). */
  ca: string[];
}

type Setting = (name: string) => string | undefined;

/** Why the server's certificate is not trusted, or undefined when it is. */
export function judgeServer(socket: TLSSocket, host: string, policy: HttpsPolicy): string | undefined {
  if (!policy.validate) return undefined;
  const error = socket.authorizationError as unknown as string | Error | null;
  const code =
    error === null ? null : typeof error === 'string' ? error : ((error as { code?: string }).code ?? error.message);
  if (code && !(code === 'CERT_HAS_EXPIRED' && !policy.expires))
    return `the server certificate is not trusted (${code}): load its CA with https user certificates`;
  if (policy.hostname) {
    const cert = socket.getPeerCertificate() as PeerCertificate;
    const wrong = checkServerIdentity(host, cert);
    if (wrong) return `the server certificate does not name ${host} (${wrong.message})`;
  }
  return undefined;
}

export interface SipTlsState {
  registered: boolean;
  reason: string;
}

export interface TrustSnapshot {
  userCertificates: string[];
  sipTrusted: { file: string; subjects: string[] } | null;
  lastProblem: string | null;
}

export class PhoneTrust {
  /** Certificates loaded with `https user certificates` (kept across boots, like the phone's store). */
  private userCertificates: X509Certificate[] = [];
  private sipTrusted: { file: string; certs: X509Certificate[] } | null = null;
  private lastProblem: string | null = null;

  constructor(
    private readonly options: {
      /** Certificates already in the phone's user store (loaded earlier). */
      userCertificates?: string[];
      /** The OSV proxy's TLS certificate, when the lab models one: it must chain to a trusted certificate. */
      sipProxyCertificate?: string;
    } = {},
  ) {
    for (const pem of options.userCertificates ?? []) this.userCertificates.push(...certificatesIn(pem));
  }

  httpsPolicy(setting: Setting): HttpsPolicy {
    const off = (name: string) => setting(name)?.trim() === '0';
    return {
      validate: !off('https validate certificates'),
      hostname: !off('https validate hostname'),
      expires: !off('https validate expires'),
      ca: [...builtinRoots(), ...this.userCertificates.map((c) => c.toString())],
    };
  }

  /** The certificate files the configuration just read names (last value wins, like any parameter). */
  static namedFiles(read: readonly { entries: CfgEntry[] }[]): { https?: string; sips?: string } {
    const out: { https?: string; sips?: string } = {};
    for (const { entries } of read)
      for (const e of entries) {
        if (e.name === 'https user certificates') out.https = e.value.trim();
        if (e.name === 'sips trusted certificates') out.sips = e.value.trim();
      }
    return out;
  }

  /**
   * Fetches the files the configuration names from the server the .cfg files came from and loads them.
   * Returns what happened, for the phone's history.
   */
  async load(
    names: { https?: string; sips?: string },
    fetch: (file: string) => Promise<{ status: string; body?: Buffer; code?: number; error?: string }>,
  ): Promise<Record<string, unknown>[]> {
    const events: Record<string, unknown>[] = [];
    if (names.https) {
      const r = await fetch(names.https);
      const certs = r.status === 'ok' && r.body ? certificatesIn(r.body.toString('utf8')) : [];
      if (certs.length > 0) {
        const known = new Set(this.userCertificates.map((c) => c.fingerprint256));
        this.userCertificates.push(...certs.filter((c) => !known.has(c.fingerprint256)));
      }
      events.push({ kind: 'https user certificates', file: names.https, loaded: certs.length, result: r.status });
    }
    if (names.sips) {
      const r = await fetch(names.sips);
      const certs = r.status === 'ok' && r.body ? certificatesIn(r.body.toString('utf8')) : [];
      this.sipTrusted = certs.length > 0 ? { file: names.sips, certs } : null;
      if (certs.length === 0)
        this.lastProblem =
          r.status === 'ok'
            ? `${names.sips} holds no certificate`
            : `${names.sips} could not be fetched (${r.status === 'missing' ? `HTTP ${r.code}` : r.error})`;
      events.push({ kind: 'sips trusted certificates', file: names.sips, loaded: certs.length, result: r.status });
    } else this.sipTrusted = null;
    return events;
  }

  /** Whether line 1 registers, as far as trust decides it (user and proxy must be set too). */
  sipState(setting: Setting): SipTlsState {
    const user = setting('sip line1 user name') ?? '';
    const proxy = setting('sip line1 proxy ip') || setting('sip proxy ip') || '';
    if (user === '' || proxy === '') return { registered: false, reason: 'no SIP user or proxy configured' };
    if ((setting('sip transport protocol') ?? '1').trim() !== '4')
      return { registered: true, reason: 'registered (no TLS)' };
    if (!this.sipTrusted)
      return {
        registered: false,
        reason: `TLS to ${proxy} failed: no trusted certificates (${this.lastProblem ?? 'sips trusted certificates names no file'})`,
      };
    if (this.options.sipProxyCertificate) {
      const proxyCert = certificatesIn(this.options.sipProxyCertificate)[0];
      const trusted =
        proxyCert !== undefined &&
        this.sipTrusted.certs.some((ca) => proxyCert.checkIssued(ca) && proxyCert.verify(ca.publicKey));
      if (!trusted)
        return {
          registered: false,
          reason: `TLS to ${proxy} failed: its certificate was not issued by a certificate in ${this.sipTrusted.file}`,
        };
    }
    return { registered: true, reason: `registered over TLS (trusting ${this.sipTrusted.file})` };
  }

  snapshot(): TrustSnapshot {
    return {
      userCertificates: this.userCertificates.map((c) => c.subject.replace(/\n/g, ', ')),
      sipTrusted: this.sipTrusted
        ? { file: this.sipTrusted.file, subjects: this.sipTrusted.certs.map((c) => c.subject.replace(/\n/g, ', ')) }
        : null,
      lastProblem: this.lastProblem,
    };
  }

  /** A factory default forgets what was loaded. */
  clear(): void {
    this.userCertificates = [];
    for (const pem of this.options.userCertificates ?? []) this.userCertificates.push(...certificatesIn(pem));
    this.sipTrusted = null;
    this.lastProblem = null;
  }
}
