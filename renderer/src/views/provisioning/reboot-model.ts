// The reboot and verify steps' lists: which phones to offer, which to preselect, and failures first in results.

export interface PhoneChoice {
  mac: string;
  ip: string | null;
  inSheet: boolean;
}

/** Preselected: the phones chosen in the inventory when there are any, else every phone with a known address. */
export function preselect(phones: readonly PhoneChoice[], chosen: readonly string[]): Record<string, boolean> {
  const wanted = new Set(chosen.map((m) => m.replace(/[^0-9a-f]/gi, '').toUpperCase()));
  return Object.fromEntries(
    phones.map((p) => [
      p.mac,
      p.ip !== null && (wanted.size === 0 || wanted.has(p.mac.replace(/[^0-9a-f]/gi, '').toUpperCase())),
    ]),
  );
}

/** Failures first (they are what the technician must act on), then by MAC. */
export function failuresFirst<T extends { mac: string }>(rows: readonly T[], failed: (r: T) => boolean): T[] {
  return [...rows].sort((a, b) => Number(failed(b)) - Number(failed(a)) || a.mac.localeCompare(b.mac));
}

/** The phones to verify: those the last reboot restarted (a phone that was not restarted has nothing to show). */
export function phonesToVerify(reboot: { results: readonly { mac: string; ok: boolean }[] } | null): {
  phones: string[] | null;
  leftOut: string[];
} {
  if (!reboot) return { phones: null, leftOut: [] };
  return {
    phones: reboot.results.filter((r) => r.ok).map((r) => r.mac),
    leftOut: reboot.results.filter((r) => !r.ok).map((r) => r.mac),
  };
}
