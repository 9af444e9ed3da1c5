// A harmless job that exercises the whole job path (journal, steps, progress, cancel, resume)
// without touching the network: the technician can run it to check that the site folder is writable.
import { z } from 'zod';
import { sleep } from '../util/sleep';
import type { JobDefinition } from './job-manager';

export const SelfTestParamsSchema = z.object({
  steps: z.number().int().min(1).max(1000).default(20),
  stepMs: z.number().int().min(0).max(10_000).default(50),
});
export type SelfTestParams = z.infer<typeof SelfTestParamsSchema>;

export const selfTestJob: JobDefinition<SelfTestParams> = {
  kind: 'self-test',
  params: SelfTestParamsSchema,
  resumable: true,
  title: (p) => `Self-test (${p.steps} steps)`,
  async run(ctx, params) {
    for (let i = 1; i <= params.steps; i++) {
      await ctx.step(`step-${i}`, async () => {
        await sleep(params.stepMs, ctx.signal);
        ctx.throwIfCancelled();
        return i;
      });
      ctx.count('steps');
      ctx.progress(i, params.steps, `Step ${i} of ${params.steps}`);
    }
    ctx.log('info', 'The site folder and its journal work.');
  },
};
