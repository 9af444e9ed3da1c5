// The laptop's own subnets as the scan form proposes them, as a schema: the contract declares its output
// with it and the TypeScript type is inferred from it.
import { z } from 'zod';

export const LocalSubnetSchema = z.object({
  interface: z.string(),
  address: z.string(),
  /** The subnet as CIDR, e.g. `192.168.10.0/24`. */
  cidr: z.string(),
  /** Addresses a scan of it would probe. */
  size: z.number().int(),
  /** True when scanning it needs confirmLarge. */
  large: z.boolean(),
});
export type LocalSubnet = z.infer<typeof LocalSubnetSchema>;
