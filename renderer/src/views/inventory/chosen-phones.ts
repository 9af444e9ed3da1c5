// The phones chosen in the inventory. The choice outlives the Inventory page, so "Plan firmware…" and Back (or a
// look at another place) keep it, as device managers do; the inventory drops keys it no longer has when it loads.
import { SvelteSet } from '../../lib/reactive';

export const chosenPhones = new SvelteSet<string>();
