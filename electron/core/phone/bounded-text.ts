// Network input arrives as bytes of unknown encoding and unknown size. Every parser in this
// folder first turns it into a string of bounded length, so no later regex can run away.

const decoder = new TextDecoder('utf-8', { fatal: false });

export type TextInput = string | Uint8Array;

/**
 * Returns the input as a string if it is at most `maxChars` long (bytes for binary input),
 * or null if it is larger. Invalid UTF-8 becomes U+FFFD instead of throwing.
 */
export function boundedText(input: TextInput, maxChars: number): string | null {
  if (typeof input === 'string') return input.length > maxChars ? null : input;
  if (input.byteLength > maxChars) return null;
  return decoder.decode(input);
}
