// Small builders that keep every call, event and job kind declared in one place with its schemas.
import { z } from 'zod';

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

export interface JobKindSpec<P extends z.ZodType> {
  /** The schema the job's definition in the core validates its parameters with: the same object, never a copy. */
  readonly params: P;
  readonly summary: string;
}

export function jobKind<P extends z.ZodType>(params: P, summary: string): JobKindSpec<P> {
  return { params, summary };
}

type JobStartOption<K extends Record<string, JobKindSpec<z.ZodType>>, N extends keyof K & string> = z.ZodObject<
  { kind: z.ZodLiteral<N>; params: K[N]['params'] },
  z.core.$strict
>;
type JobStartOptions<K extends Record<string, JobKindSpec<z.ZodType>>> = {
  [N in keyof K & string]: JobStartOption<K, N>;
}[keyof K & string];

/** `{ kind, params }` as a union discriminated on `kind`: each kind's params are typed and validated. */
export function jobStartSchema<const K extends Record<string, JobKindSpec<z.ZodType>>>(kinds: K) {
  const names = Object.keys(kinds);
  const options = names.map((kind) => z.object({ kind: z.literal(kind), params: kinds[kind]!.params }).strict());
  return z.discriminatedUnion('kind', options as unknown as [JobStartOptions<K>, ...JobStartOptions<K>[]], {
    error: (issue) =>
      issue.code === 'invalid_union' ? `is not a job kind; the kinds are ${names.join(', ')}` : undefined,
  });
}

/**
 * The schema with every default and prefault made a plain optional: it validates and strips like the original
 * but returns only what the caller gave, so stored input does not freeze today's defaults (defaults apply when
 * the stored value is read). Refinements are kept; defaults inside lists and maps are not touched.
 */
export function enteredOnly<T extends z.ZodType>(schema: T): z.ZodType<z.input<T>, z.input<T>> {
  return withoutDefaults(schema) as unknown as z.ZodType<z.input<T>, z.input<T>>;
}

function withoutDefaults(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    innerType?: z.ZodType;
    shape?: Record<string, z.ZodType>;
  };
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
      return withoutDefaults(def.innerType!).optional();
    case 'object':
      return schema.clone({
        ...def,
        shape: Object.fromEntries(Object.entries(def.shape!).map(([k, v]) => [k, withoutDefaults(v)])),
      } as typeof def);
    default:
      return schema;
  }
}

/** Refuses any string (value or key) longer than `max` characters anywhere in the value, naming where it is. */
export function boundedStrings<T extends z.ZodType>(schema: T, max: number): T {
  const tooLong = (text: string) =>
    `is ${text.length.toLocaleString('en')} characters long; at most ${max.toLocaleString('en')} fit here`;
  return schema.superRefine((value, ctx) => {
    const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
    while (stack.length > 0) {
      const { value: v, path } = stack.pop()!;
      if (typeof v === 'string' && v.length > max) ctx.addIssue({ code: 'custom', path, message: tooLong(v) });
      if (v === null || typeof v !== 'object') continue;
      for (const [k, child] of Object.entries(v)) {
        if (k.length > max) ctx.addIssue({ code: 'custom', path, message: `a name ${tooLong(k)}` });
        else stack.push({ value: child, path: [...path, k] });
      }
    }
  }) as T;
}
