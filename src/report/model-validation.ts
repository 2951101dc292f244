/**
 * The report's validation appendix (docs/VALIDATION.md, ISO/IEC 17025 §7.2.2): which verifier
 * made the report, what the project tests on every change, and the known limitations, in the
 * report's language. It claims nothing measured at report time: the suites passed before the
 * release landed, and their counts are in the CI record, not here.
 */
import { type Language, say } from './i18n.js';
import { VALIDATION } from './messages/validation.js';
import type { ReportMeta, Validation } from './model-types.js';

const SUITES = [
  'suiteVectors',
  'suiteCrypto',
  'suiteParity',
  'suiteDamage',
  'suiteInterop',
  'suiteReports',
] as const;
const LIMITS = ['limitBrowsers', 'limitPdfA', 'limitTranslation', 'limitLegal'] as const;

export function validationOf(meta: ReportMeta, lang: Language): Validation {
  const page = meta.verifierCodeSha256
    ? say(VALIDATION, lang, 'codeHash', { hash: meta.verifierCodeSha256 })
    : meta.verifierPageSha256
      ? say(VALIDATION, lang, 'pageHash', { hash: meta.verifierPageSha256 })
      : say(VALIDATION, lang, 'noHash');
  return {
    heading: say(VALIDATION, lang, 'heading'),
    identity: say(VALIDATION, lang, 'identity', { tool: meta.tool, version: meta.toolVersion, page }),
    testedHeading: say(VALIDATION, lang, 'tested'),
    tested: SUITES.map((k) => say(VALIDATION, lang, k)),
    limitsHeading: say(VALIDATION, lang, 'limits'),
    limits: LIMITS.map((k) => say(VALIDATION, lang, k)),
  };
}
