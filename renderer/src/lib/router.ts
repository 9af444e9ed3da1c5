// The current place lives in the address (#/firmware/run/<job>), so a reload, a bookmark or the back button
// brings the technician back to it. Hash routing: the browser host and Electron serve one page.

export const PLACES = ['overview', 'inventory', 'provisioning', 'firmware', 'checklist', 'jobs'] as const;
export type Place = (typeof PLACES)[number];

export interface Route {
  place: Place;
  /** What is open inside the place, e.g. ['run', '<job id>'] or ['phone', '<key>']. */
  path: string[];
  /** Filters and choices, e.g. { presence: 'no-answer' }. */
  query: Record<string, string>;
}

export const HOME: Route = { place: 'overview', path: [], query: {} };

const isPlace = (s: string): s is Place => (PLACES as readonly string[]).includes(s);

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const [first, ...path] = segments;
  if (!first || !isPlace(first)) return { ...HOME, query: {} };
  return { place: first, path, query: Object.fromEntries(new URLSearchParams(queryPart)) };
}

export function formatRoute(route: { place: Place; path?: readonly string[]; query?: Record<string, string> }): string {
  const path = [route.place, ...(route.path ?? [])].map(encodeURIComponent).join('/');
  const query = Object.entries(route.query ?? {}).filter(([, v]) => v !== '');
  return `#/${path}${query.length ? `?${new URLSearchParams(query).toString()}` : ''}`;
}

export const sameRoute = (a: Route, b: Route): boolean => formatRoute(a) === formatRoute(b);
