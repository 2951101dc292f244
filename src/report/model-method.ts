/**
 * Method and certification: the algorithms and standards the verification
 * rests on, and the template a qualified person adapts and signs, so that
 * an independent party can repeat the verification.
 */
import type { ExhibitVerdict } from '../bundle/verdict.js';
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
  const page = meta.verifierPageSha256 ?? null;
  const code = meta.verifierCodeSha256 ?? null;
  const bundle = meta.bundleSha256 ?? null;
  const by = code
    ? `the verifier page of ${meta.tool} ${meta.toolVersion} (its embedded code has SHA-256 ${code})`
    : `${meta.tool} ${meta.toolVersion}${page ? `, whose published verifier page has SHA-256 ${page}` : ' (the SHA-256 of its verifier page was not at hand)'}`;
  return {
    tool: meta.tool,
    toolVersion: meta.toolVersion,
    verifierPageSha256: page,
    verifierCodeSha256: code,
    bundleSha256: bundle,
    verifiedAt,
    text: `Verified ${verifiedAt.utc} by ${by}.${bundle ? ` The bundle verified has SHA-256 ${bundle}.` : ''} This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.`,
  };
}

/** The algorithms and standards the verification rests on. */
export function methodOf(meta: ReportMeta, ident: Identification | null): Method {
  const weak = (ident?.digests ?? []).filter((d) => d.algorithm === 'md5' || d.algorithm === 'sha1');
  return {
    tool: meta.tool,
    toolVersion: meta.toolVersion,
    algorithms: [
      {
        name: 'Ed25519',
        standard: 'RFC 8032 (PureEd25519)',
        use: 'signature on every entry, checkpoint and cosignature',
      },
      {
        name: 'SHA-256',
        standard: 'FIPS 180-4',
        use: 'digest of the evidence file; leaf hash of every entry, statement identities, commitments and the state map',
      },
      {
        name: 'Merkle tree',
        standard: 'RFC 9162 (Certificate Transparency v2), section 2.1',
        use: 'inclusion of entries in a checkpoint',
      },
      {
        name: 'Checkpoint',
        standard: 'C2SP tlog-checkpoint, signed with C2SP signed-note',
        use: "the log's signed statement of its size and root",
      },
      {
        name: 'Witness cosignature',
        standard: 'C2SP tlog-cosignature',
        use: 'independent confirmation of a checkpoint',
      },
      {
        name: 'Record encoding',
        standard: 'canonical MessagePack, as specified in docs/FORMAT.md',
        use: 'the exact bytes that are signed and hashed',
      },
    ],
    notes: weak.length
      ? [
          `${weak.map((d) => d.name).join(' and ')} ${weak.length === 1 ? 'is' : 'are'} shown only for comparison with other tools; no finding rests on ${weak.length === 1 ? 'it' : 'them'} (collisions can be constructed).`,
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

const FRAMING: Record<LegalFraming, string[]> = {
  eu: [
    'Legal framing (European Union). Regulation (EU) No 910/2014 (eIDAS), as amended by Regulation (EU) 2024/1183: Article 46, an electronic document is not denied legal effect and admissibility as evidence in legal proceedings solely because it is in electronic form; Article 35, the legal effects of electronic seals, and Article 41, those of electronic time stamps, whose presumptions of integrity and accuracy attach only to qualified seals and qualified time stamps; Articles 45k and 45l (electronic ledgers), under which only a qualified electronic ledger enjoys a presumption of the uniqueness and authenticity of its data and of their correct sequential chronological ordering. This ledger is a qualified electronic ledger only if its operator is a qualified trust service provider for that service: unless that is shown, the record is weighed as any other electronic evidence. Its handling is described in terms of ISO/IEC 27037 (identification, collection, acquisition and preservation of digital evidence).',
    'National procedure, for orientation only. France: offences may be proven by any means, and the judge decides on his or her inner conviction (Code de procédure pénale, article 427). Germany: the court weighs the evidence freely (Strafprozessordnung, § 261); documents filed electronically follow the ERVV (Elektronischer-Rechtsverkehr-Verordnung), which takes PDF. Netherlands: the lawful means of evidence are listed in article 339 of the Wetboek van Strafvordering; this declaration, once signed, is a written document of its signer (article 344).',
  ],
  us: [
    'Legal framing (United States). Federal Rule of Evidence 902(13) (certified records generated by an electronic process or system) and 902(14) (certified data copied from an electronic device, storage medium or file, authenticated by a process of digital identification) make such records self-authenticating only when a qualified person certifies them, with the notice of Rule 902(11). This template is the basis of that certification; the tool does not certify.',
  ],
  uk: [
    "Legal framing (England and Wales). The Forensic Science Regulator's statutory Code of Practice (Forensic Science Regulator Act 2021) applies to forensic science activities; the person signing states whether the method used, including this verification tool, was validated as the Code requires, and declares compliance or non-compliance with the Code.",
  ],
};

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
  const what = ident
    ? `exhibit "${ident.label}" (${ident.exhibitId}), case ${ident.caseRef}`
    : 'the exhibit named in this report';
  const src =
    v.source.kind === 'bundle'
      ? `the evidence bundle "${v.source.name}"${v.source.bytes !== undefined ? ` (${sizeText(v.source.bytes).text})` : ''}`
      : `the custody ledger "${v.source.name}"`;
  const paragraphs = [
    'I, [full name], [position] at [organisation], am the expert responsible for this verification, qualified by [training and experience] to carry it out and explain it.',
    `On [date] I verified ${src} for ${what}, using ${meta.tool} version ${meta.toolVersion}. The verification identifies electronic data by a process of digital identification: the evidence file by its SHA-256 digest (FIPS 180-4), and each entry of the custody record by its SHA-256 hash and Ed25519 signature (RFC 8032). This report was generated on ${generated.utc}.`,
    verdict.verified
      ? `The result was VERIFIED. ${file?.matches ? `The file "${file.name}" that I examined has the digests registered for the exhibit. ` : ''}What the verification proves, and what it does not prove, is stated in the section "Scope" of this report, which forms part of this declaration.`
      : `The result was NOT VERIFIED: ${verdict.reasons.length} finding${verdict.reasons.length === 1 ? '' : 's'} (listed in full under "Checks" and "Problems") prevent${verdict.reasons.length === 1 ? 's' : ''} verification. I make no declaration about the integrity or the continuity of custody of this exhibit. What can and cannot be concluded is stated in the section "Scope" of this report.`,
    `The verification is repeatable and reproducible (ISO/IEC 27037): an independent person who obtains the same ${v.source.kind === 'bundle' ? 'bundle file' : 'ledger'}${file ? ' and evidence file' : ''}, and the authority public key through an official channel (comparing its fingerprint out of band), and who runs the commands below with this or any other implementation of the published format, will obtain the same result.`,
    ...FRAMING[meta.framing ?? 'eu'],
    '[Review this declaration, adapt it to the applicable law and procedure, and sign it only if you stand by it.]',
  ];
  return {
    heading:
      'Declaration (template: the responsible expert reviews and signs it; the tool certifies nothing)',
    paragraphs,
    commands: [...meta.commands],
    signatureLines: [
      'Signature: ______________________',
      'Name and position: ______________________',
      'Date and place: ______________________',
    ],
  };
}
