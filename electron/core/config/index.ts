// Public surface of the configuration core: the .cfg format, parameter rules, the OSV profile,
// site settings, the generator, redaction and the preview diff.
export * from './cfg-format';
export * from './parameter-rules';
export * from './osv-profile';
export * from './provisioning-settings';
export * from './generator';
export * from './redact';
export * from './text-diff';
export { isValidHost } from './host-names';
