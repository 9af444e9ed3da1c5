// Messages between lab.ts and lab-worker.ts (which hosts every phone of a namespace-mode lab in one process).
import type { PhoneFaults } from './faults';
import type { LabSpec } from './lab-spec';

export type WorkerRequest =
  | { id: number; op: 'start'; spec: LabSpec; addresses: string[]; provisioningUrl?: string; clockStartMs?: number }
  | { id: number; op: 'inspect'; mac: string }
  | { id: number; op: 'setFaults'; mac: string; faults: PhoneFaults }
  | { id: number; op: 'powerCycle'; mac: string }
  | { id: number; op: 'setClock'; ms: number }
  | { id: number; op: 'stop' };

export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** A request before the client assigns its id. */
export type WorkerCall = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
