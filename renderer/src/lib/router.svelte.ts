// The route as reactive state, following the address bar (back/forward, links, reloads).
import { formatRoute, parseHash, type Place, type Route } from './router';

export const route = $state<Route>(parseHash(globalThis.location?.hash ?? ''));

function sync(): void {
  const next = parseHash(location.hash);
  route.place = next.place;
  route.path = next.path;
  route.query = next.query;
}

/** Goes somewhere; `replace` changes the address without a new history entry (e.g. a filter being typed). */
export function navigate(
  place: Place,
  path: readonly string[] = [],
  query: Record<string, string> = {},
  options: { replace?: boolean } = {},
): void {
  const hash = formatRoute({ place, path, query });
  if (hash === location.hash) return;
  if (options.replace) {
    history.replaceState(history.state, '', hash);
    sync();
  } else location.hash = hash;
}

export const href = (place: Place, path: readonly string[] = [], query: Record<string, string> = {}): string =>
  formatRoute({ place, path, query });

/** Listens to the address bar; returns the stop function. */
export function startRouter(): () => void {
  sync();
  window.addEventListener('hashchange', sync);
  return () => window.removeEventListener('hashchange', sync);
}
