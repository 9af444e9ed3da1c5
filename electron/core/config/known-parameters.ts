// Whether a parameter name is one Fieldkit writes or checks: such a name cannot be taken over by a
// free-form site option (the realm parameter), which would silently replace Fieldkit's value.
import { normaliseParamName } from './cfg-format';
import { parameterRules } from './parameter-rules';
import { profileRules } from './osv-profile';

let profileNames: RegExp[] | undefined;

export function isKnownParameter(name: string): boolean {
  // built on first use: osv-profile and the settings schema import each other
  profileNames ??= profileRules
    .flatMap((r) => r.parameters)
    .filter((p) => !p.startsWith('('))
    .map((p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\bN\b/, '\\d{1,2}')}$`));
  const key = normaliseParamName(name);
  return profileNames.some((re) => re.test(key)) || parameterRules.some((r) => r.appliesTo(key));
}
