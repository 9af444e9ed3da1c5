// The SFTP target form: the fields a technician knows (host, port, user, folder, how to log in) turned into the
// contract's target and credential, with what is missing said next to its field. The core checks the URL again.
import { formatRecent } from '../../lib/format';
import type { CallInput, CallOutput } from '$api/contract';
import type { BadgeTone } from '../../lib/badges';

export type TargetConfig = CallOutput<'provisioning.targets'>[number];
export type SftpTarget = Extract<TargetConfig, { kind: 'sftp' }>;
export type TargetCheck = CallOutput<'provisioning.checkTarget'>;
export type Credential = Omit<CallInput<'provisioning.setTargetCredential'>, 'targetId'>;

export interface TargetForm {
  id: string;
  host: string;
  port: string;
  user: string;
  folder: string;
  auth: 'password' | 'key';
  password: string;
  privateKey: string;
  passphrase: string;
}

export type TargetField = keyof TargetForm;

export function emptyTargetForm(): TargetForm {
  return {
    id: '',
    host: '',
    port: '22',
    user: '',
    folder: '',
    auth: 'password',
    password: '',
    privateKey: '',
    passphrase: '',
  };
}

/** The form for editing a saved target (credentials are never shown: empty keeps the stored one). */
export function formFromTarget(t: SftpTarget): TargetForm {
  const m = /^sftp:\/\/([^@]+)@(\[[^\]]+\]|[^:/]+)(?::(\d+))?(\/.*)?$/.exec(t.url);
  const path = m?.[4] ?? '';
  return {
    ...emptyTargetForm(),
    id: t.id,
    user: m ? decodeURIComponent(m[1]!) : '',
    host: m ? m[2]!.replace(/^\[|\]$/g, '') : '',
    port: m?.[3] ?? '22',
    folder: path.startsWith('/~/') ? path.slice(3) : path === '/~' ? '' : path,
    auth: t.auth,
  };
}

/** `sftp://user@host:port/folder`; a folder without a leading / is inside the user's home (`/~/…`). */
export function targetUrl(f: TargetForm): string {
  const host = f.host.trim().includes(':') ? `[${f.host.trim()}]` : f.host.trim();
  const folder = f.folder.trim().replace(/\/+$/, '');
  const path = folder.startsWith('/') ? folder : `/~/${folder}`;
  return `sftp://${f.user.trim()}@${host}:${f.port.trim() || '22'}${path}`;
}

/**
 * What is missing or wrong, per field, in the technician's words. Editing may leave the credential empty (the stored
 * one stays) unless the way of logging in changes.
 */
export function targetFormProblems(f: TargetForm, editing: SftpTarget | null): Partial<Record<TargetField, string>> {
  const out: Partial<Record<TargetField, string>> = {};
  if (!editing && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(f.id.trim()))
    out.id =
      f.id.trim() === ''
        ? 'Give the target a name, e.g. site-sftp.'
        : 'Lowercase letters, digits and dashes only (up to 40), e.g. site-sftp.';
  if (f.host.trim() === '') out.host = 'Give the server (host name or IP address).';
  else if (/[\s/@]/.test(f.host.trim())) out.host = 'Only the host name or address, without sftp:// or a folder.';
  const port = f.port.trim();
  if (port !== '' && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
    out.port = 'A port from 1 to 65535 (SSH: 22).';
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/.test(f.user.trim()))
    out.user = 'Give the user name Fieldkit logs in with.';
  const folder = f.folder.trim();
  if (folder === '' || folder === '/') out.folder = 'Give the folder the phones fetch from, e.g. /srv/provisioning.';
  else if (/(^|\/)\.\.?(\/|$)/.test(folder) || folder.includes('\\'))
    out.folder = 'Write the folder without . or .. and with / only.';
  const keepsCredential = editing !== null && editing.auth === f.auth;
  if (f.auth === 'password' && f.password === '' && !keepsCredential)
    out.password = 'Enter the password: a target without one cannot log in.';
  if (f.auth === 'key') {
    if (f.privateKey.trim() === '' && !keepsCredential)
      out.privateKey = 'Paste the private key or choose its file: a target without one cannot log in.';
    else if (f.privateKey.trim() !== '' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(f.privateKey))
      out.privateKey = 'This is not a private key: it starts with -----BEGIN … PRIVATE KEY----- (not the .pub file).';
    if (f.passphrase !== '' && f.privateKey.trim() === '')
      out.passphrase = 'A passphrase goes with a new private key: paste the key too.';
  }
  return out;
}

/** The credential to store, or null when the stored one stays. */
export function credentialFromForm(f: TargetForm): Credential | null {
  if (f.auth === 'password') return f.password === '' ? null : { password: f.password };
  if (f.privateKey.trim() === '') return null;
  return { privateKey: f.privateKey.trim() + '\n', ...(f.passphrase ? { passphrase: f.passphrase } : {}) };
}

const STALE_WORDS: Record<NonNullable<TargetCheck['stale']>, string> = {
  'settings-changed': 'its address or way of logging in changed since',
  'credential-changed': 'a new password or key was stored since',
  'no-credential': 'its password or key is no longer stored',
  'host-key-changed': "the server's trusted host key changed since",
};

export interface CheckView {
  /** Only a check that worked and still describes the target lets the target be chosen. */
  usable: boolean;
  badge: string;
  tone: BadgeTone;
  /** "Checked 10:32", with what changed since when the check no longer holds; '' when never checked. */
  note: string;
}

/** A target's last check (this session's, or remembered from an earlier one) in words. */
export function checkView(c: TargetCheck | undefined, now = new Date()): CheckView {
  if (!c) return { usable: false, badge: 'Not checked', tone: 'warn', note: '' };
  const when = `Checked ${formatRecent(c.checkedAt, now)}`;
  if (c.stale) return { usable: false, badge: 'Out of date', tone: 'warn', note: `${when}: ${STALE_WORDS[c.stale]}` };
  return c.ok
    ? { usable: true, badge: 'Works', tone: 'ok', note: when }
    : { usable: false, badge: 'Check failed', tone: 'bad', note: when };
}

/** The target's short description: "provision@10.0.0.5:22 /srv/provisioning". */
export function describeTarget(t: SftpTarget): string {
  const f = formFromTarget(t);
  return `${f.user}@${f.host}:${f.port} ${f.folder.startsWith('/') ? f.folder : `~/${f.folder}`}`;
}

const canonicalFingerprint = (fp: string) =>
  fp
    .trim()
    .replace(/^SHA256:/, '')
    .replace(/=+$/, '');

/**
 * A fingerprint the technician typed (as the server's administrator read it) against the one the server offers:
 * as `ssh-keygen -l` prints it, with or without `SHA256:` and base64 padding.
 */
export function sameFingerprint(typed: string, offered: string): boolean {
  const t = canonicalFingerprint(typed);
  return t.length > 0 && t === canonicalFingerprint(offered);
}
