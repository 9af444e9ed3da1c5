// Child process for the reboot network test: runs inside the lab's technician namespace (as Fieldkit would on the
// laptop) and restarts the phones given as JSON; prints one JSON array of outcomes.
// Usage: tsx reboot-in-namespace.ts '[{"target":{…},"order":[…],"orderReason":"…"}]'
import { rebootPhone } from '../../../electron/core/provisioning/reboot';
import type { RebootMethod, RebootTarget } from '../../../electron/core/provisioning/reboot';

const jobs = JSON.parse(process.argv[2]!) as {
  target: RebootTarget;
  order?: RebootMethod[];
  orderReason?: string | null;
}[];
const outcomes = [];
for (const j of jobs) {
  outcomes.push(
    await rebootPhone(j.target, {
      adminPassword: '22222',
      confirmDownMs: 4000,
      pollMs: 100,
      requestTimeoutMs: 1000,
      ...(j.order ? { order: j.order, orderReason: j.orderReason ?? null } : {}),
    }),
  );
}
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
