// Small builders that keep every call and event declared in one place with its schemas.
import type { z } from 'zod';

export interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for docs, the CLI help and the UI. */
  readonly summary: string;
}

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): CallSpec<I, O> {
  return { input, output, summary };
}

export interface EventSpec<P extends z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function event<P extends z.ZodType>(payload: P, summary: string): EventSpec<P> {
  return { payload, summary };
}
