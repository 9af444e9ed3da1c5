// Words for the provisioning views: which citations a technician can look up, how a generated file is named.

/** Only the integration guide's sections are shown; Fieldkit's internal references are not. */
export function citation(section: string): string {
  return section
    .split(/;\s*/)
    .filter((part) => /\bguide §/.test(part))
    .join('; ');
}

export const FILE_KIND_LABELS: Record<string, string> = {
  global: 'all phones',
  model: 'one model',
  phone: 'one phone',
};

/** The MAC of a phone's own file (00085D240001.cfg), or null for shared files. */
export function fileMac(name: string): string | null {
  return /^([0-9A-F]{12})\.cfg$/i.exec(name)?.[1]?.toUpperCase() ?? null;
}
