// Public security advisories for 6800/6900 SIP phone firmware, and the assessment of one phone's
// firmware against them and against the OpenScape Voice minimum.
//
// What the sources say (looked up 2026 via the CVE List; Mitel's own advisory pages were not
// readable in the sources available, so no "fixed in" build number is stated here unless a
// source gives one):
// - CVE-2024-31963..31967: "Mitel 6800 Series and 6900 Series SIP Phones through 6.3 SP3 HF4"
//   (6900w through 6.3.3, 6970 through 5.1.1 SP8). Mitel advisories 24-0006..24-0010.
//   The numeric build of "6.3 SP3 HF4" is not given anywhere we found, so 6.3.x builds are
//   reported as "possibly vulnerable"; everything before 6.3 is covered by "through".
// - CVE-2024-41710 (found while searching): "through R6.4.0.HF1 (R6.4.0.136)", Mitel advisory 24-0019.
// - CVE-2025-47188 (found while searching, secondary source only): "R6.4.0.SP4 and earlier",
//   fixed in "R6.4.0.SP5"; numeric builds of SP4/SP5 not found.

import { compareFirmware, formatFirmwareVersion, OSV_MINIMUM, parseFirmwareVersion } from './firmware-version';
import { isSupportedModel, normaliseModel } from './models';
import type { FirmwareVersion } from './firmware-version';

export type AdvisoryStatus = 'affected' | 'possibly-affected' | 'not-affected';

export interface Advisory {
  cve: string;
  mitelAdvisory: string;
  summary: string;
  /** Last affected release as the source names it. */
  affectedThrough: string;
  /** Fixed release as a source names it, or null when no source we found names one. */
  fixedIn: string | null;
  note: string;
  sources: readonly string[];
  status(version: FirmwareVersion): AdvisoryStatus;
}

const v = (major: number, minor: number, patch: number, build: number): FirmwareVersion => ({
  major,
  minor,
  patch,
  build,
});
const below = (a: FirmwareVersion, b: FirmwareVersion): boolean => compareFirmware(a, b) < 0;

// "through 6.3 SP3 HF4": all of < 6.3 is affected; 6.3.x cannot be placed relative to SP3 HF4.
function through63Sp3Hf4(version: FirmwareVersion): AdvisoryStatus {
  if (below(version, v(6, 3, 0, 0))) return 'affected';
  if (below(version, v(6, 4, 0, 0))) return 'possibly-affected';
  return 'not-affected';
}

const NOTE_63 =
  'The CVE record names "6.3 SP3 HF4" as the last affected 6800/6900 release. Its numeric build was not found, so 6.3.x builds are reported as possibly affected; 6.4.0.0 and later are treated as not affected. No source found names the exact fixed build.';

const cve2024_3196x = (cve: string, advisory: string, summary: string): Advisory => ({
  cve,
  mitelAdvisory: advisory,
  summary,
  affectedThrough: '6.3 SP3 HF4',
  fixedIn: null,
  note: NOTE_63,
  sources: [
    `https://www.cve.org/CVERecord?id=${cve}`,
    `https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2024/31xxx/${cve}.json`,
    `https://www.mitel.com/support/security-advisories/mitel-product-security-advisory-${advisory}`,
  ],
  status: through63Sp3Hf4,
});

export const ADVISORIES: readonly Advisory[] = [
  cve2024_3196x(
    'CVE-2024-31963',
    '24-0006',
    'Authenticated buffer overflow (insufficient bounds checking); information disclosure, configuration change or command execution.',
  ),
  cve2024_3196x(
    'CVE-2024-31964',
    '24-0007',
    'Unauthenticated authentication bypass; configuration change, possible denial of service.',
  ),
  cve2024_3196x('CVE-2024-31965', '24-0008', 'Authenticated (admin) path traversal; information disclosure.'),
  cve2024_3196x(
    'CVE-2024-31966',
    '24-0009',
    'Authenticated (admin) argument injection; information disclosure, configuration change or command execution.',
  ),
  cve2024_3196x(
    'CVE-2024-31967',
    '24-0010',
    'Unauthenticated improper access control; access to user information or system configuration.',
  ),
  {
    cve: 'CVE-2024-41710',
    mitelAdvisory: '24-0019',
    summary: 'Authenticated (admin) argument injection during boot; command execution. Listed in CISA KEV (exploited).',
    affectedThrough: 'R6.4.0.HF1 (R6.4.0.136)',
    fixedIn: null,
    note: 'The CVE record gives the last affected build numerically (6.4.0.136). The first fixed build is not named in the sources found.',
    sources: [
      'https://www.cve.org/CVERecord?id=CVE-2024-41710',
      'https://www.mitel.com/support/security-advisories/mitel-product-security-advisory-24-0019',
    ],
    status: (version) => (compareFirmware(version, v(6, 4, 0, 136)) <= 0 ? 'affected' : 'not-affected'),
  },
  {
    cve: 'CVE-2025-47188',
    mitelAdvisory: 'unknown',
    summary: 'Unauthenticated command injection; read or change system and user data and configuration.',
    affectedThrough: 'R6.4.0.SP4',
    fixedIn: 'R6.4.0.SP5',
    note: 'Secondary source only (a German news summary of the Mitel advisory). Numeric builds of 6.4.0 SP4/SP5 were not found: 6.4.0 builds after 6.4.0.136 (HF1) are reported as possibly affected; 6.5 and later are assumed to contain the fix.',
    sources: ['https://comretix.de/blog/mitel-sip-phones-lassen-sich-beliebige-befehle-unterjubeln'],
    status: (version) => {
      if (compareFirmware(version, v(6, 4, 0, 136)) <= 0) return 'affected';
      if (below(version, v(6, 5, 0, 0))) return 'possibly-affected';
      return 'not-affected';
    },
  },
];

export interface FirmwareAssessment {
  /** The version as `a.b.c.d`, or null when it could not be parsed. */
  version: string | null;
  /** Null when the version is unknown. */
  belowOsvMinimum: boolean | null;
  vulnerable: string[];
  possiblyVulnerable: string[];
  notes: string[];
}

/** Series the advisories above name: 6800 and 6900 SIP phones (6900w and 6970 included under 69xx). */
function advisoriesApplyTo(model: string | null): boolean | null {
  if (model === null) return null;
  return /^6[89]\d\d/.test(model);
}

export function assessFirmware(
  version: string | FirmwareVersion | null | undefined,
  model: string | null | undefined,
): FirmwareAssessment {
  const parsed = typeof version === 'string' || version == null ? parseFirmwareVersion(version ?? null) : version;
  const normalModel = normaliseModel(model ?? null);
  const notes: string[] = [];
  if (parsed === null) {
    notes.push('Firmware version unknown: read it from the SIP banner, the provisioning User-Agent or /sysinfo.html.');
    return { version: null, belowOsvMinimum: null, vulnerable: [], possiblyVulnerable: [], notes };
  }
  const belowOsvMinimum = compareFirmware(parsed, OSV_MINIMUM) < 0;
  if (belowOsvMinimum) {
    notes.push(
      `Firmware ${formatFirmwareVersion(parsed)} is below ${formatFirmwareVersion(OSV_MINIMUM)}, the minimum for OpenScape Voice features (integration guide §2.1).`,
    );
  }
  if (normalModel !== null && !isSupportedModel(normalModel)) {
    notes.push(
      `Model ${normalModel} is not a 6867i/6865i; the OpenScape Voice minimum is stated for those two models only.`,
    );
  }
  const applies = advisoriesApplyTo(normalModel);
  const vulnerable: string[] = [];
  const possiblyVulnerable: string[] = [];
  if (applies === false) {
    notes.push(`The advisories checked name 6800/6900 series phones; model ${normalModel} is not in them.`);
  } else {
    if (applies === null) notes.push('Model unknown: advisories for 6800/6900 series phones were checked anyway.');
    for (const advisory of ADVISORIES) {
      const status = advisory.status(parsed);
      if (status === 'affected') vulnerable.push(advisory.cve);
      if (status === 'possibly-affected') possiblyVulnerable.push(advisory.cve);
    }
    if (possiblyVulnerable.length > 0) {
      notes.push(
        'Some advisories name releases (e.g. "6.3 SP3 HF4") whose build numbers are not public; this version may or may not be affected. Upgrade to a current release to be sure.',
      );
    }
  }
  return { version: formatFirmwareVersion(parsed), belowOsvMinimum, vulnerable, possiblyVulnerable, notes };
}
