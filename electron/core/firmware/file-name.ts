// What a firmware file's name says about its model and version. Fieldkit never looks inside a `.st`
// image (its format is Mitel's and opaque): the version comes from the name, or from the technician.
import { formatFirmwareVersion, parseFirmwareVersion } from '../phone/firmware-version';
import { normaliseModel } from '../phone/models';

export interface NameFacts {
  model: string | null;
  /** `a.b.c.d`, or null when the name carries no version. */
  version: string | null;
  /** Service pack label from a Mitel package name, e.g. `SP1`. */
  servicePack: string | null;
  /** Mitel part number and revision from a package name, e.g. `58015372`, `REV03`. */
  partNumber: string | null;
  revision: string | null;
}

const MAX_NAME = 255;

// Mitel packages: <8-digit part>REV<2-digit revision><major><minor><patch><build>[SP<n>]<model>.zip
//   58015372REV035001018SP16867i.zip -> REV03, 5.0.0.1018, SP1, 6867i   (phone-facts §2, WAZO v5_0_0 pkgs.db)
//   58015546rev00450416869i.zip      -> REV00, 4.5.0.41, 6869i          (Mitel download URL in a public advisory)
// Major, minor and patch are one digit each in every example; the build takes the remaining digits up
// to the service pack or the model. The model is the last four digits plus an optional `i`.
const MITEL_PACKAGE = /^(\d{8})REV(\d{2})(\d)(\d)(\d)(\d{1,6}?)(?:SP(\d{1,2}))?(6\d{3}i?)\.zip$/i;

// Anything else: a model (`6867i`) and/or a dotted four-field version anywhere in the name.
const DOTTED_VERSION = /(?:^|[^\d.])(\d{1,4}\.\d{1,4}\.\d{1,4}\.\d{1,6})(?![\d.]*\d)/;
const MODEL_IN_NAME = /(?:^|[^\d])(6[789]\d{2}i?)(?=[^\d]|$)/i;

export function factsFromFileName(fileName: string): NameFacts {
  const none: NameFacts = { model: null, version: null, servicePack: null, partNumber: null, revision: null };
  if (typeof fileName !== 'string' || fileName.length === 0 || fileName.length > MAX_NAME) return none;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const pkg = MITEL_PACKAGE.exec(base);
  if (pkg) {
    const version = parseFirmwareVersion(`${pkg[3]}.${pkg[4]}.${pkg[5]}.${Number(pkg[6])}`);
    return {
      model: normaliseModel(pkg[8]!),
      version: version ? formatFirmwareVersion(version) : null,
      servicePack: pkg[7] !== undefined ? `SP${Number(pkg[7])}` : null,
      partNumber: pkg[1]!,
      revision: `REV${pkg[2]}`,
    };
  }
  const dotted = DOTTED_VERSION.exec(base);
  const version = dotted ? parseFirmwareVersion(dotted[1]!) : null;
  const withoutVersion = dotted ? base.replace(dotted[1]!, ' ') : base;
  const model = MODEL_IN_NAME.exec(withoutVersion);
  return {
    ...none,
    model: model ? normaliseModel(model[1]!) : null,
    version: version ? formatFirmwareVersion(version) : null,
  };
}
