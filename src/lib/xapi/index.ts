/**
 * A pure xAPI library: validation exactly as xAPI 1.0.3 (and 2.0.0 where it differs) demands,
 * agent identifiers, statement formats, multipart/mixed attachments and signed statements.
 *
 * Hand-written on purpose. Looked for a maintained validator first: Learning Locker's
 * `xapi-validation` (npm, TypeScript, 1.0.x only, last published years ago), ZackPierce's
 * `xAPI-Validator-JS` (1.0.0 only), yetanalytics `xapi-schema` (Clojure) and `php-xapi/validation`
 * (PHP). None is a maintained TypeScript validator covering 1.0.3 and 2.0.
 */

export { validateActivity } from './activities.ts';
export {
  agentIfi,
  mboxSha1,
  parseActorParam,
  parseAgentParam,
  validateActor,
  validateAgent,
  validateGroup,
} from './agents.ts';
export { sameStatement } from './compare.ts';
export { XapiInvalid, type XapiVersion } from './errors.ts';
export { bestLanguage, formatStatement, type XapiFormat } from './format.ts';
export {
  isDuration,
  isIri,
  isIrl,
  isLanguageTag,
  isMailtoIri,
  isMediaType,
  isSha1Hex,
  isSha2Hex,
  isTimestamp,
  isUuid,
} from './formats.ts';
export { parseXapiJson } from './json.ts';
export { checkAttachments, parseMultipartMixed, type XapiPart } from './multipart.ts';
export { verifySignedStatement } from './signature.ts';
export { validateStatement } from './statement.ts';
export * from './types.ts';
