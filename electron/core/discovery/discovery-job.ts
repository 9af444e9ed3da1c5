// Discovery as a job: live progress (addresses done/total), a found-so-far counter and per-method counters,
// journalled start and finish, cancel at any moment. The result goes to `onResult`, which the inventory wires to
// the site workspace.
import { discover, DiscoverOptionsSchema } from './discover';
import { parseTargets } from './ranges';
import type { DeviceRecord } from './device-record';
import type { JobDefinition } from '../jobs/job-manager';
import type { SecretStore } from '../secrets/secret-store';
import type { DiscoverOptions, DiscoverResult } from './discover';
import type { MdnsOptions } from './mdns';
import type { NeighbourReader } from './neighbours';
import type { PassiveObserver } from './passive';

export interface DiscoveryJobDeps {
  secrets: SecretStore;
  onResult: (devices: DeviceRecord[], result: DiscoverResult) => void | Promise<void>;
  mdnsOptions?: Omit<MdnsOptions, 'durationMs'>;
  neighbourReader?: NeighbourReader;
  passive?: PassiveObserver;
}

export const DiscoveryParamsSchema = DiscoverOptionsSchema;
export type DiscoveryParams = DiscoverOptions;

const addresses = (n: number): string => `${n.toLocaleString('en')} ${n === 1 ? 'address' : 'addresses'}`;

export function createDiscoveryJob(deps: DiscoveryJobDeps): JobDefinition<DiscoveryParams> {
  return {
    kind: 'discovery',
    params: DiscoveryParamsSchema,
    // A scan is cheap to repeat and its half-done state is worthless: an interrupted scan is run again.
    resumable: false,
    title: (p) => `Discover phones in ${p.ranges.join(', ').slice(0, 80)}`,
    async run(ctx, params) {
      const targets = parseTargets(params.ranges, { confirmLarge: params.confirmLarge });
      await ctx.record('discovery-start', { ranges: params.ranges, addresses: targets.total, methods: params.methods });
      ctx.progress(0, targets.total, `Scanning ${addresses(targets.total)}`);
      const result = await discover(params, {
        signal: ctx.signal,
        secrets: deps.secrets,
        mdnsOptions: deps.mdnsOptions,
        neighbourReader: deps.neighbourReader,
        passive: deps.passive,
        onWarning: (w) => ctx.log('warn', w),
        onProgress: (p) => {
          for (const [name, value] of Object.entries(p.counters)) ctx.setCounter(name, value);
          ctx.progress(p.done, p.total, `${p.done} of ${addresses(p.total)}, ${p.found} found`);
        },
      });
      const s = result.summary;
      ctx.setCounter('found', s.devices);
      ctx.setCounter('phones', s.byClassification.supported);
      ctx.setCounter('firmwareRead', s.firmwareRead);
      await ctx.record('discovery-finish', { ...s });
      ctx.log(
        'info',
        `Found ${s.devices} devices (${s.byClassification.supported} supported phones, ${s.byClassification['other-mitel']} other Mitel/Aastra, ${s.byClassification['other-sip']} other SIP, ${s.byClassification.unknown} unknown); firmware read from ${s.firmwareRead}; ${s.durationMs} ms.`,
      );
      await deps.onResult(result.devices, result);
    },
  };
}
