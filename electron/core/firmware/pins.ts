// Firmware pins: a phone that must fetch its `<model>.st` from a staging folder gets `firmware server: "<folder URL>"`
// in its own `<MAC>.cfg` on the site's server (phone-facts §8: the phone then fetches `<URL>/<model>.st` and nothing
// else from there). It stays on its home configuration server and nothing is set locally on the phone. The pins
// are kept in the site (`firmware/pins.json`) so that every later generate writes them again: a publish never drops
// a pin and flips a phone back to home's `.st`.
import { z } from 'zod';
import {
  appendBlank,
  appendComment,
  appendParam,
  normaliseParamName,
  parseCfg,
  serializeCfg,
} from '../config/cfg-format';
import { isFieldkitError } from '../util/errors';
import { sha256Hex } from '../util/hash';
import type { CfgDocument } from '../config/cfg-format';
import type { PublishTarget } from '../provisioning/target';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const PINS_FILE = 'firmware/pins.json';
export const FIRMWARE_SERVER = 'firmware server';
/** Marks the pin's comment line, so the pin (and only the pin) can be found and removed again. */
const PIN_MARK = 'Fieldkit firmware pin';

const PinSchema = z.object({
  /** The folder the phone fetches `<model>.st` from, e.g. http://10.0.0.5:8080/prov/fw/6867i-5.0.0.1018 */
  url: z.string(),
  model: z.string(),
  version: z.string(),
  jobId: z.string(),
  at: z.string(),
});
export type FirmwarePin = z.infer<typeof PinSchema>;

const PinsFileSchema = z.object({
  format: z.literal('fieldkit-firmware-pins'),
  formatVersion: z.literal(1),
  pins: z.record(z.string(), PinSchema),
});

export async function readPins(site: SiteWorkspace): Promise<Record<string, FirmwarePin>> {
  return (await site.readJson(PINS_FILE, PinsFileSchema))?.pins ?? {};
}

// Parallel phones of one run update the same file: one update at a time per site.
const queues = new Map<string, Promise<unknown>>();
const waiting = new Map<
  string,
  { change: (pins: Record<string, FirmwarePin>) => void; done: (e?: unknown) => void }[]
>();

/**
 * One read and one write of the pins file for all the changes asked for while the previous write was under way (the
 * phones of a wave are pinned and unpinned together: one read-validate-write each was quadratic over a run). Each
 * call resolves once its change is on disk.
 */
function updatePins(site: SiteWorkspace, change: (pins: Record<string, FirmwarePin>) => void): Promise<void> {
  const key = site.root;
  return new Promise<void>((resolve, reject) => {
    const list = waiting.get(key) ?? [];
    list.push({ change, done: (e) => (e === undefined ? resolve() : reject(e)) });
    waiting.set(key, list);
    if (list.length > 1) return;
    const run = async () => {
      const batch = waiting.get(key) ?? [];
      waiting.delete(key);
      let error: unknown;
      try {
        const pins = await readPins(site);
        for (const b of batch) b.change(pins);
        await site.writeJson(PINS_FILE, PinsFileSchema, { format: 'fieldkit-firmware-pins', formatVersion: 1, pins });
      } catch (e) {
        error = e ?? new Error('the firmware pins could not be written');
      }
      for (const b of batch) b.done(error);
    };
    queues.set(key, (queues.get(key) ?? Promise.resolve()).then(run, run));
  });
}

export function recordPin(site: SiteWorkspace, mac: string, pin: FirmwarePin): Promise<void> {
  return updatePins(site, (pins) => {
    pins[mac] = pin;
  });
}

export function forgetPin(site: SiteWorkspace, mac: string): Promise<void> {
  return updatePins(site, (pins) => {
    delete pins[mac];
  });
}

/** The `firmware server` value for a folder URL: quoted, without a trailing slash (the 2ASTRA form, phone-facts §8). */
export function pinUrl(location: { protocol: string; host: string; port: number; path: string }): string {
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  const path = location.path.replace(/^\/+|\/+$/g, '');
  return `${location.protocol.toLowerCase()}://${host}:${location.port}${path ? `/${path}` : ''}`;
}

/** Removes Fieldkit's pin block (its comment, the blank line before it and its `firmware server` line). */
export function removePinBlock(doc: CfgDocument): boolean {
  const at = doc.lines.findIndex((l) => l.kind === 'comment' && l.raw.includes(PIN_MARK));
  if (at === -1) return false;
  let from = at;
  let to = at + 1;
  if (from > 0 && doc.lines[from - 1]!.kind === 'blank') from--;
  const next = doc.lines[to];
  if (next?.kind === 'param' && normaliseParamName(next.name) === FIRMWARE_SERVER) to++;
  doc.lines.splice(from, to - from);
  return true;
}

/**
 * Appends the pin block at the end of a `<MAC>.cfg` (after everything, so it is the last `firmware server` the phone
 * reads, phone-facts §1). The generator calls this for pinned phones and the firmware run calls it on the served file,
 * so both give the same bytes.
 */
export function appendPinBlock(doc: CfgDocument, pin: Pick<FirmwarePin, 'url' | 'model' | 'version'>): void {
  removePinBlock(doc);
  appendBlank(doc);
  appendComment(
    doc,
    `${PIN_MARK}: this phone fetches ${pin.model}.st (${pin.version}) from the folder below, not from its configuration path (phone-facts §8)`,
  );
  appendParam(doc, FIRMWARE_SERVER, pin.url, { quoted: true });
}

/** The pin the text carries, or null. */
export function pinIn(text: string): string | null {
  const { doc } = parseCfg(text);
  const at = doc.lines.findIndex((l) => l.kind === 'comment' && l.raw.includes(PIN_MARK));
  const line = doc.lines[at + 1];
  return at >= 0 && line?.kind === 'param' && normaliseParamName(line.name) === FIRMWARE_SERVER ? line.value : null;
}

/** `firmware server` as the phone reads it from these files (in read order), leaving Fieldkit's own pin out. */
export function firmwareServerIn(texts: readonly (string | null)[]): string | null {
  let value: string | null = null;
  for (const text of texts) {
    if (text === null) continue;
    const { doc } = parseCfg(text);
    removePinBlock(doc);
    for (const line of doc.lines)
      if (line.kind === 'param' && normaliseParamName(line.name) === FIRMWARE_SERVER) value = line.value;
  }
  return value === '' ? null : value;
}

/**
 * Edits the phone's `<MAC>.cfg` on the site's server: `pin` adds (or replaces) the pin, null removes it. Returns false
 * when the file is not there. The write names the bytes it replaces, so a file changed meanwhile is not overwritten.
 */
export async function editServedPin(
  home: PublishTarget,
  mac: string,
  pin: Pick<FirmwarePin, 'url' | 'model' | 'version'> | null,
): Promise<boolean> {
  return (await editServedPinFrom(home, mac, pin, undefined)) !== null;
}

/**
 * editServedPin with the file's bytes already in hand: read by the caller alongside other work, or as Fieldkit itself
 * last wrote them (null: the caller found no file). Saves reading the file again; the write still names the bytes it
 * replaces, and when the file is no longer those bytes it is read again and edited as it is now. Returns the text
 * the server now holds, or null when the file is not there.
 */
export async function editServedPinFrom(
  home: PublishTarget,
  mac: string,
  pin: Pick<FirmwarePin, 'url' | 'model' | 'version'> | null,
  known: Uint8Array | null | undefined,
): Promise<string | null> {
  const name = `${mac}.cfg`;
  const edit = async (bytes: Uint8Array | null): Promise<string | null> => {
    if (bytes === null) return null;
    const text = Buffer.from(bytes).toString('utf8');
    const { doc } = parseCfg(text);
    if (pin) appendPinBlock(doc, pin);
    else removePinBlock(doc);
    const next = serializeCfg(doc);
    if (next !== text)
      await home.write(name, Buffer.from(next, 'utf8'), { expectSha256: sha256Hex(bytes), backup: false });
    return next;
  };
  if (known !== undefined) {
    try {
      return await edit(known);
    } catch (e) {
      if (!isFieldkitError(e) || e.code !== 'conflict') throw e;
    }
  }
  return edit(await home.read(name));
}

/**
 * The hook config generation calls for every `<MAC>.cfg` (injected by the app, so provisioning does not depend on
 * firmware): appends the phone's pin, if it has one.
 */
export async function pinnedPhoneFiles(site: SiteWorkspace): Promise<(mac: string, doc: CfgDocument) => void> {
  const pins = await readPins(site);
  return (mac, doc) => {
    const pin = pins[mac];
    if (pin) appendPinBlock(doc, pin);
  };
}
