// Operations on a running set of lab devices, shared by loopback mode (in-process) and the namespace worker.
import { type ManualClock } from './clock';
import { normaliseMac } from './mac';
import { SimPhone } from './phone';
import type { PhoneFaults } from './faults';
import type { LabDevice } from './lab-devices';
import type { PhoneInspection } from './phone';

export class LabControl {
  constructor(
    private readonly devices: LabDevice[],
    private readonly clock: ManualClock | null,
  ) {}

  phone(mac: string): SimPhone {
    const key = normaliseMac(mac);
    const d = this.devices.find((x) => x.info.mac === key);
    if (!d) throw new Error(`no device with MAC ${mac} in this lab`);
    if (!(d.device instanceof SimPhone))
      throw new Error(`device ${mac} is a ${d.info.kind}, not a simulated 6867i/6865i`);
    return d.device;
  }

  inspect(mac: string): PhoneInspection {
    return this.phone(mac).inspect();
  }

  setFaults(mac: string, faults: PhoneFaults): void {
    this.phone(mac).setFaults(faults);
  }

  powerCycle(mac: string): Promise<void> {
    return this.phone(mac).powerCycle();
  }

  setClock(ms: number): void {
    if (!this.clock) throw new Error('this lab has no manual clock: start it with clockStartMs');
    this.clock.set(ms);
  }
}
