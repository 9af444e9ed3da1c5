export function joinPath(base: string, sub: string): string {
  return [base, sub].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
}
