// Validates a call at the boundary (the renderer is untrusted) and runs its handler.
import { calls, type CallName, type CallParsedInput, type CallOutput, type CallResult } from './contract';
import { FieldkitError, isFieldkitError } from '../core/util/errors';

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> };

export type Dispatch = (name: string, rawInput: unknown) => Promise<CallResult<unknown>>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

export function createDispatcher(handlers: Handlers, onInternalError: (name: string, e: unknown) => void = () => undefined): Dispatch {
  return async (name, rawInput) => {
    if (!isCallName(name)) return { ok: false, error: { code: 'invalid-input', message: `Unknown call "${name}".` } };
    const spec = calls[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'invalid-input', message: detail } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (isFieldkitError(e)) return { ok: false, error: { code: e.code, message: e.message } };
      onInternalError(name, e);
      const wrapped = new FieldkitError('internal', `Fieldkit hit an unexpected problem during ${name}: ${(e as Error)?.message ?? String(e)}`);
      return { ok: false, error: { code: wrapped.code, message: wrapped.message } };
    }
  };
}
