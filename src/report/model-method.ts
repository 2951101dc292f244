/**
 * Method and certification: the algorithms and standards the verification
 * rests on, and the template a qualified person adapts and signs, so that
 * an independent party can repeat the verification.
 */
import type { ExhibitVerdict } from '../bundle/verdict.js';
import { COMMON, type Language, say, sayCount } from './i18n.js';
import { BLANKS, DECLARATION } from './messages/declaration.js';
import { FRAMING } from './messages/framing.js';
import { METHOD } from './messages/method.js';
import { sizeText } from './model-formatting.js';
import type {
  Certification,
  FileInfo,
  Identification,
  Method,
  Provenance,
  ReportMeta,
  ReportModel,
  TimeText,
} from './model-types.js';

/** Where the report's evidence comes from: the release, its verifier page, the bundle, the time. */
export function provenanceOf(meta: ReportMeta, verifiedAt: TimeText): Provenance {
  const lang = meta.lang ?? 'en';
  const page = meta.verifierPageSha256 ?? null;
  const code = meta.verifierCodeSha256 ?? null;
  const bundle = meta.bundleSha256 ?? null;
  const values = {
    utc: verifiedAt.utc,
    tool: meta.tool,
    version: meta.toolVersion,
    code: code ?? undefined,
    page: page ?? undefined,
    bundle: bundle ?? undefined,
  };
  const key = code ? 'provenanceByCode' : page ? 'provenanceByPage' : 'provenanceNoPage';
  return {
    tool: meta.tool,
    toolVersion: meta.toolVersion,
    verifierPageSha256: page,
    verifierCodeSha256: code,
    bundleSha256: bundle,
    verifiedAt,
    text: say(METHOD, lang, key, values),
  };
}

/** The algorithms and standards the verification rests on; names and standards are never translated. */
export function methodOf(meta: ReportMeta, ident: Identification | null): Method {
  const lang = meta.lang ?? 'en';
  const weak = (ident?.digests ?? []).filter((d) => d.algorithm === 'md5' || d.algorithm === 'sha1');
  const use = (key: keyof (typeof METHOD)['en']) => say(METHOD, lang, key);
  return {
    tool: meta.tool,
    toolVersion: meta.toolVersion,
    algorithms: [
      { name: 'Ed25519', standard: 'RFC 8032 (PureEd25519)', use: use('useEd25519') },
      { name: 'SHA-256', standard: 'FIPS 180-4', use: use('useSha256') },
      {
        name: 'Merkle tree',
        standard: 'RFC 9162 (Certificate Transparency v2), section 2.1',
        use: use('useMerkle'),
      },
      {
        name: 'Checkpoint',
        standard: 'C2SP tlog-checkpoint, signed with C2SP signed-note',
        use: use('useCheckpoint'),
      },
      { name: 'Witness cosignature', standard: 'C2SP tlog-cosignature', use: use('useCosignature') },
      {
        name: 'Record encoding',
        standard: 'canonical MessagePack, as specified in docs/FORMAT.md',
        use: use('useEncoding'),
      },
    ],
    notes: weak.length
      ? [
          sayCount(METHOD, lang, 'weakDigests', weak.length, {
            names: weak.map((d) => d.name).join(COMMON[lang].and),
          }),
        ]
      : [],
  };
}

/**
 * The legal framing of the declaration, chosen by the court's system (docs/VERIFYING.md §The
 * declaration): EU by default. Each cites its basis; none makes the tool certify anything.
 */
export type LegalFraming = 'eu' | 'us' | 'uk';
export const LEGAL_FRAMINGS: readonly LegalFraming[] = ['eu', 'us', 'uk'];

/** The framing paragraphs of each legal system, as keys of the FRAMING catalogue. */
const FRAMING_KEYS: Record<LegalFraming, readonly (keyof (typeof FRAMING)['en'])[]> = {
  eu: ['eu', 'euNational'],
  us: ['us'],
  uk: ['uk'],
};

/**
 * A blank for the signer, with its brackets. Read as it is, not filled: `fill` would take the
 * brackets for an optional part and drop them.
 */
const blank = (lang: Language, key: keyof (typeof BLANKS)['en']): string => BLANKS[lang][key];

/**
 * A declaration, filled in from the verification, for the responsible expert to review, adapt
 * and sign. The tool never certifies: only a qualified person can, and the wording says so.
 */
export function certificationOf(
  v: ExhibitVerdict,
  meta: ReportMeta,
  verdict: ReportModel['verdict'],
  ident: Identification | null,
  generated: TimeText,
  file: FileInfo | null,
): Certification {
  const lang = meta.lang ?? 'en';
  const exhibit = ident
    ? say(DECLARATION, lang, 'exhibitNamed', {
        label: ident.label,
        exhibitId: ident.exhibitId,
        caseRef: ident.caseRef,
      })
    : say(DECLARATION, lang, 'exhibitUnnamed');
  const bundle = v.source.kind === 'bundle';
  const source = bundle
    ? say(DECLARATION, lang, 'sourceBundle', {
        name: v.source.name,
        size: v.source.bytes !== undefined ? sizeText(v.source.bytes, lang).text : undefined,
      })
    : say(DECLARATION, lang, 'sourceLedger', { name: v.source.name });
  const obtained = bundle
    ? file
      ? 'obtainedBundleAndFile'
      : 'obtainedBundle'
    : file
      ? 'obtainedLedgerAndFile'
      : 'obtainedLedger';
  const paragraphs = [
    say(DECLARATION, lang, 'identity', {
      fullName: blank(lang, 'fullName'),
      position: blank(lang, 'position'),
      organisation: blank(lang, 'organisation'),
      qualification: blank(lang, 'qualification'),
    }),
    say(DECLARATION, lang, 'verifiedOn', {
      date: blank(lang, 'date'),
      source,
      exhibit,
      tool: meta.tool,
      version: meta.toolVersion,
      generated: generated.utc,
    }),
    verdict.verified
      ? say(DECLARATION, lang, 'resultVerified', { file: file?.matches ? file.name : undefined })
      : sayCount(DECLARATION, lang, 'resultNotVerified', verdict.reasons.length),
    say(DECLARATION, lang, 'repeatable', { obtained: say(DECLARATION, lang, obtained) }),
    ...FRAMING_KEYS[meta.framing ?? 'eu'].map((k) => say(FRAMING, lang, k)),
    blank(lang, 'review'),
  ];
  return {
    heading: say(DECLARATION, lang, 'heading'),
    paragraphs,
    commands: [...meta.commands],
    signatureLines: [
      say(DECLARATION, lang, 'signature'),
      say(DECLARATION, lang, 'signatureName'),
      say(DECLARATION, lang, 'signatureDate'),
    ],
  };
}
