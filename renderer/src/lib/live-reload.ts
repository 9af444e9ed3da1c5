// The dev loop (`npm run dev:web`): the renderer is rebuilt on every change; this notices the new build (its
// script has a new hashed name) and reloads the page. The place is in the address, so the reload keeps it.

const scriptOf = (html: string): string | null => /<script[^>]+src="([^"]+)"/.exec(html)?.[1] ?? null;

export function watchForRebuilds(intervalMs = 1000): void {
  const current = document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.getAttribute('src') ?? null;
  setInterval(async () => {
    try {
      const res = await fetch('./index.html', { cache: 'no-store' });
      if (!res.ok) return; // mid-rebuild
      const next = scriptOf(await res.text());
      if (next && current && next !== current) location.reload();
    } catch {
      // the host is restarting
    }
  }, intervalMs);
}
