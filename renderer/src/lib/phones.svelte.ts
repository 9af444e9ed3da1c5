// The site's phones by MAC, for naming them everywhere (reboot, verify, plans, results). Reloaded when the
// inventory changes.
import { api } from './api';
import { indexPhones, phoneLabel, phoneText, type KnownPhone, type PhoneLabel } from './phone-label';

class PhoneDirectory {
  byMac = $state.raw<Map<string, KnownPhone>>(new Map());
  #loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.#loading ??= api
      .call('inventory.list', {})
      .then((list) => {
        this.byMac = indexPhones(list.rows);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  clear(): void {
    this.byMac = new Map();
  }

  label(mac: string): PhoneLabel {
    return phoneLabel(mac, this.byMac);
  }

  text(mac: string): string {
    return phoneText(mac, this.byMac);
  }
}

export const phoneDirectory = new PhoneDirectory();
