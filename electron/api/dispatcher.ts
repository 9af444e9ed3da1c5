// Validates a call at the boundary (the renderer is untrusted) and runs its handler.
import { FieldkitError, isFieldkitError } from '../core/util/errors';
import { withinTimeLimit } from '../core/util/time-limit';
import { calls, type CallName, type CallParsedInput, type CallOutput, type CallResult } from './contract';
import type { JobRedactor } from '../core/jobs/job-manager';

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> };

export type Dispatch = (name: string, rawInput: unknown) => Promise<CallResult<unknown>>;

/**
 * How long a call may take before its caller gets an answer anyway. Long work runs as a job and answers at once; a
 * call still running after this is stuck on something outside Fieldkit (a hung network share, a special file system),
 * and the technician is told so instead of watching a spinner forever.
 */
export const CALL_TIME_LIMIT_MS = 120_000;

/** Deeper input than any call takes: refused before validation, so no schema recurses into it. */
const MAX_INPUT_DEPTH = 32;

/** How deeply objects and arrays nest in a value, counted without recursion (so hostile input cannot overflow). */
function nestingDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Error messages go to the UI and may be pasted into a ticket: secrets in them are hidden first. */
export function createDispatcher(
  handlers: Handlers,
  onInternalError: (name: string, e: unknown) => void = () => undefined,
  redactor?: JobRedactor,
  timeLimitMs = CALL_TIME_LIMIT_MS,
): Dispatch {
  const redact = async (message: string) => (redactor ? (await redactor.refresh(), redactor.redact(message)) : message);
  return async (name, rawInput) => {
    if (!isCallName(name)) return { ok: false, error: { code: 'invalid-input', message: `Unknown call "${name}".` } };
    const spec = calls[name];
    if (nestingDepth(rawInput, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH)
      return {
        ok: false,
        error: { code: 'invalid-input', message: `input: nests deeper than ${MAX_INPUT_DEPTH} levels.` },
      };
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'invalid-input', message: await redact(detail) } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const value = await withinTimeLimit(
        handler(parsed.data),
        timeLimitMs,
        () =>
          new FieldkitError(
            'unavailable',
            `${name} did not finish within ${Math.round(timeLimitMs / 1000)} s, so Fieldkit stopped waiting for it. ` +
              'Check that the folder or server it uses answers (a network share or a special file system can hang), then try again.',
          ),
      );
      return { ok: true, value };
    } catch (e) {
      if (isFieldkitError(e)) return { ok: false, error: { code: e.code, message: await redact(e.message) } };
      const message = await redact(
        `Fieldkit hit an unexpected problem during ${name}: ${(e as Error)?.message ?? String(e)}`,
      );
      onInternalError(
        name,
        redactor
          ? Object.assign(new Error(message), { stack: redactor.redact(String((e as Error)?.stack ?? message)) })
          : e,
      );
      return { ok: false, error: { code: 'internal', message } };
    }
  };
}
