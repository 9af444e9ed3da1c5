// Hides every stored secret wherever text leaves Fieldkit's memory for a place a person may read or
// share: job logs and journals, error messages shown in the UI or the terminal, the ticket export.
//
// It learns the values from the credential store (keys and values, kept in this object's memory only)
// plus any extra values it is given, and replaces each occurrence with `[redacted: <key>]`. A value is
// also found in the forms in which Fieldkit itself may write it: URL-encoded (query strings, form
// bodies), JSON-escaped (journal lines), HTML-escaped (reports). Base64 of a bare value is not searched:
// Fieldkit only base64-encodes credentials inside HTTP Basic headers, whose whole token is hidden by
// pattern. Values shorter than MIN_SECRET_LENGTH are not searched for: hiding every "12" in a log would
// make it unreadable and protect nothing. Old values stay known after a secret changes, so a log of
// yesterday's password is still hidden.
import { redactCfgText } from '../config/redact';
import { FACTORY_ADMIN_PASSWORD } from '../secrets/admin-passwords';
import { redactPatterns } from './redact-patterns';
import type { SecretKey, SecretStore } from '../secrets/secret-store';

export const MIN_SECRET_LENGTH = 3;
/** Longer values (private keys) are searched for one by one: a regex over them would be too large. */
const MAX_TRIE_LENGTH = 256;

export type Redact = (text: string) => string;

/**
 * Up to this many lookups a text is scanned rather than matched with the one regex over every value: that
 * regex took ~250 ms to build for 2,000 secrets, which a 1,000-file push paid for its short progress lines.
 */
const SCAN_BUDGET = 64 * 1024;

interface Search {
  /** Values searched for by lookup or by the regex (up to MAX_TRIE_LENGTH). */
  short: string[];
  /** Their distinct lengths, longest first. */
  lengths: number[];
  /** Their first MIN_SECRET_LENGTH characters. */
  starts: Set<string>;
  /** Longer values, longest first, replaced one by one. */
  long: string[];
  /** Built the first time a text is too long to scan. */
  matcher?: RegExp;
}

export class Redactor {
  /** Variant text (plain or encoded) -> label of the secret it reveals. */
  readonly #variants = new Map<string, string>();
  /**
   * What redactValues searches with, built once per set of known values (learn() drops it). Building it on
   * every call cost a copy and a filter of every variant per line: with 2,000 secrets that was most of the
   * CPU a 1,000-file publish spent outside SSH (each progress line is redacted).
   */
  #search: Search | undefined;

  /**
   * @param scanBudget Texts whose length times the number of distinct value lengths stays within it are
   *   searched by looking up each substring of a known length (no regex to build); longer ones with one
   *   regex over every value, built the first time one comes. Both find the leftmost, longest known value.
   */
  constructor(
    private readonly store?: SecretStore,
    private readonly scanBudget = SCAN_BUDGET,
  ) {}

  /** Re-reads every secret from the store; keeps the values learned before. Never throws. */
  async refresh(): Promise<this> {
    if (!this.store) return this;
    let keys: SecretKey[];
    try {
      keys = await this.store.list();
    } catch {
      return this; // a locked keychain must not stop an error from being shown
    }
    for (const key of keys) {
      const value = await this.store.get(key).catch(() => undefined);
      if (value !== undefined) this.learn(value, key);
    }
    return this;
  }

  /** Adds a value that must never be shown (e.g. a password typed for one connection). */
  learn(value: string, label = 'secret'): this {
    // the factory default is printed in every manual: hiding it would only garble messages that name it
    if (value.length < MIN_SECRET_LENGTH || value === FACTORY_ADMIN_PASSWORD) return this;
    for (const variant of encodings(value)) {
      if (!this.#variants.has(variant)) {
        this.#variants.set(variant, label);
        this.#search = undefined;
      }
    }
    return this;
  }

  /** Hides known secret values and credential-shaped text (URLs, headers, cfg lines). */
  readonly redact: Redact = (text) => redactPatterns(this.redactValues(text));

  /** For a whole configuration file: every secret parameter hidden by name, then by value. */
  redactCfg(text: string): string {
    return this.redact(redactCfgText(text).text);
  }

  /** Deeply redacts every string in a JSON-like value (journal entries, exported records). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    }
    return value;
  }

  private redactValues(text: string): string {
    if (this.#variants.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const search = (this.#search ??= this.#buildSearch());
    let out = text;
    for (const value of search.long) {
      if (out.includes(value)) out = out.split(value).join(`[redacted: ${this.#variants.get(value)}]`);
    }
    if (out.length * search.lengths.length <= this.scanBudget) return this.#scan(out, search);
    search.matcher ??= new RegExp(trieSource(search.short) || '(?!)', 'g');
    return out.replace(search.matcher, (m) => `[redacted: ${this.#variants.get(m) ?? 'secret'}]`);
  }

  #buildSearch(): Search {
    const all = [...this.#variants.keys()];
    const short = all.filter((v) => v.length <= MAX_TRIE_LENGTH);
    return {
      short,
      lengths: [...new Set(short.map((v) => v.length))].sort((a, b) => b - a),
      starts: new Set(short.map((v) => v.slice(0, MIN_SECRET_LENGTH))),
      long: all.filter((v) => v.length > MAX_TRIE_LENGTH).sort((a, b) => b.length - a.length),
    };
  }

  /** Leftmost-longest replacement of known values by lookup: at each position the longest known value there. */
  #scan(text: string, { lengths, starts }: Search): string {
    let out = '';
    let copied = 0;
    let i = 0;
    while (i < text.length) {
      let matched = 0;
      // every known value is at least MIN_SECRET_LENGTH long: most positions fail on their first characters
      if (!starts.has(text.slice(i, i + MIN_SECRET_LENGTH))) {
        i++;
        continue;
      }
      for (const length of lengths) {
        if (length > text.length - i) continue;
        const label = this.#variants.get(text.slice(i, i + length));
        if (label === undefined) continue;
        out += `${text.slice(copied, i)}[redacted: ${label}]`;
        matched = length;
        break;
      }
      if (matched > 0) {
        i += matched;
        copied = i;
      } else i++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/** The forms in which Fieldkit may write a value: plain, URL/form-encoded, JSON- and HTML-escaped. */
export function encodings(value: string): string[] {
  const variants = new Set<string>([
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
  ]);
  return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * One regex for many literal values, shaped as a prefix tree (`Sip-(?:1|2)`), so that each position of
 * the text costs the length of the longest shared prefix, not the number of values: a thousand SIP
 * passwords over a megabyte of log stays linear. Longer continuations come first (longest match wins).
 */
export function trieSource(values: string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const value of values) {
    let node = root;
    for (const ch of value) {
      let child = node.next.get(ch);
      if (!child) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const source = (node: TrieNode): string => {
    if (node.next.size === 0) return '';
    const branches = [...node.next].map(([ch, child]) => escapeRegExp(ch) + source(child));
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    return node.end ? `(?:${body})?` : body;
  };
  return source(root);
}
