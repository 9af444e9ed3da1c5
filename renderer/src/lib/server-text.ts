// What the header says about the built-in provisioning server, from provisioning.server.status.
import type { BadgeTone } from './badges';
import type { CallOutput } from '$api/contract';

export type ServerStatus = CallOutput<'provisioning.server.status'>;

export interface ServerText {
  tone: BadgeTone;
  /** Short, for the header. */
  label: string;
  /** The sentence behind it. */
  detail: string;
}

export function describeServer(s: ServerStatus | null): ServerText {
  if (!s) return { tone: 'neutral', label: 'Provisioning server: …', detail: 'Reading the server state.' };
  const n = s.files.length;
  if (!s.running)
    return {
      tone: 'bad',
      label: 'Provisioning server stopped',
      detail: `Stopped: phones that resync or restart get nothing from ${s.url}. Start it under Provisioning › Preview & publish.`,
    };
  if (s.problem)
    return {
      tone: 'bad',
      label: 'Provisioning server: problem',
      detail: `Running at ${s.url}, but the last published files could not be loaded: ${s.problem}`,
    };
  if (n === 0)
    return {
      tone: 'warn',
      label: 'Provisioning server running, serving nothing',
      detail: `Running at ${s.url}, but nothing is published: phones that resync get nothing. Publish under Provisioning.`,
    };
  const stale = s.stale.length
    ? ` ${s.stale.length} file(s) changed since publishing and are not served: publish again.`
    : '';
  return {
    tone: s.stale.length ? 'warn' : 'ok',
    label: `Provisioning server running · ${n} ${n === 1 ? 'file' : 'files'}`,
    detail: `Running at ${s.url}, serving ${n} ${n === 1 ? 'file' : 'files'}.${stale}`,
  };
}
