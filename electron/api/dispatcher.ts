// Validates a call at the boundary (the renderer is untrusted) and runs its handler.
import { isFieldkitError } from '../core/util/errors';
import { calls, type CallName, type CallParsedInput, type CallOutput, type CallResult } from './contract';
import type { JobRedactor } from '../core/jobs/job-manager';

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> };

export type Dispatch = (name: string, rawInput: unknown) => Promise<CallResult<unknown>>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Error messages go to the UI and may be pasted into a ticket: secrets in them are hidden first. */
export function createDispatcher(
  handlers: Handlers,
  onInternalError: (name: string, e: unknown) => void = () => undefined,
  redactor?: JobRedactor,
): Dispatch {
  const redact = async (message: string) => (redactor ? (await redactor.refresh(), redactor.redact(message)) : message);
  return async (name, rawInput) => {
    if (!isCallName(name)) return { ok: false, error: { code: 'invalid-input', message: `Unknown call "${name}".` } };
    const spec = calls[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'invalid-input', message: await redact(detail) } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
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
