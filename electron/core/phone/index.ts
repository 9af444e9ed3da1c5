// What Fieldkit knows about Mitel 6867i/6865i phones and how it talks to them.
export { parseMac, requireMac, macFileStem, lookupOui } from './mac';
export type { CanonicalMac, OuiInfo, OuiVendor } from './mac';
export { SUPPORTED_MODELS, normaliseModel, isSupportedModel, classifyDevice } from './models';
export type { SupportedModel, DeviceClass, ClassificationEvidence } from './models';
export { parseFirmwareVersion, compareFirmware, formatFirmwareVersion, OSV_MINIMUM } from './firmware-version';
export type { FirmwareVersion } from './firmware-version';
export { ADVISORIES, assessFirmware } from './firmware-advisories';
export type { Advisory, AdvisoryStatus, FirmwareAssessment } from './firmware-advisories';
export { parseSipBanner, parseProvisioningUserAgent, MAX_BANNER_CHARS, MAX_USER_AGENT_CHARS } from './banner';
export type { SipBanner, ProvisioningUserAgent } from './banner';
export { parseSysinfo, MAX_SYSINFO_CHARS } from './sysinfo';
export type { SysinfoInfo } from './sysinfo';
export {
  parseSipMessage,
  buildSipRequest,
  buildSipResponse,
  getHeader,
  getHeaders,
  headerParam,
  topVia,
  parseCSeq,
  canonicalHeaderName,
  MAX_SIP_MESSAGE_BYTES,
  MAX_SIP_HEADERS,
} from './sip-message';
export type { SipMessage, SipRequest, SipResponse, SipHeader, SipParseResult } from './sip-message';
export { createSipProber, sipOptionsProbe, sendCheckSyncNotify, SipUdpEndpoint } from './sip-client';
export type {
  SipProber,
  SipResult,
  SipAnswer,
  SipFailure,
  SipTimingOptions,
  SipTransportOptions,
  SipTargetOptions,
} from './sip-client';
export {
  fingerprint,
  readSysinfo,
  restart,
  dangerousFactoryReset,
  dangerousRemoveLocalConfig,
  getConfigurationServer,
  setConfigurationServer,
  xmlPush,
  parseBasicRealm,
  isVisitSysinfoFirstAnswer,
  isSessionExpiredAnswer,
  readPage,
  CONFIG_SERVER_FIELDS,
} from './web-client';
export type {
  PhoneTarget,
  PhoneCredentials,
  WebFingerprint,
  ResetResult,
  ConfigServerField,
  ConfigServerSettings,
  ConfigServerReading,
  XmlPushCommand,
  XmlPushResult,
} from './web-client';
export { PhoneError, isPhoneError } from './phone-error';
export type { PhoneErrorCode } from './phone-error';
export type { Scheme } from './http-exchange';
