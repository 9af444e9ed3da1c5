// An OSV integration rule as the UI explains it, as a schema: the contract declares its output with it and
// the TypeScript type is inferred from it.
import { z } from 'zod';
import type { ProfileRuleId } from './osv-profile';

export const ProfileRuleSchema = z.object({
  id: z.string() as unknown as z.ZodType<ProfileRuleId>,
  title: z.string(),
  /** Where the rule comes from, e.g. "guide §4.1" or "phone-facts §5". */
  source: z.string(),
  /** Known issues from guide §9 the rule works around. */
  knownIssues: z.array(z.string()),
  rationale: z.string(),
  /** Parameters the rule writes or checks; `N` stands for the line number. */
  parameters: z.array(z.string()),
});
export type ProfileRule = z.infer<typeof ProfileRuleSchema>;
