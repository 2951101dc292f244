/**
 * Closed vocabularies of statement bodies (docs/FORMAT.md §Kinds and bodies):
 * digest algorithms with their lengths, disposal methods and seal states.
 * Adding a value is a new body version in the kinds table, never an edit here
 * that old verifiers would read differently.
 */
export const DIGEST_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];
export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

/** A digest map: sha256 always, the others as the signer chose. */
export type Digests = { sha256: Uint8Array } & Partial<
  Record<Exclude<DigestAlgorithm, 'sha256'>, Uint8Array>
>;

/**
 * The instruments a hand-over between ledgers rests on (docs/FEDERATION.md):
 * a European Investigation Order (Directive 2014/41/EU), a mutual legal
 * assistance request, a joint investigation team agreement, a European
 * Production or Preservation Order (Regulation (EU) 2023/1543), or a
 * domestic order.
 */
export const LEGAL_INSTRUMENTS = ['EIO', 'MLA', 'JIT', 'EPOC', 'EPOC-PR', 'domestic'] as const;
export type LegalInstrument = (typeof LEGAL_INSTRUMENTS)[number];

export const DISPOSAL_METHODS = ['returned', 'destroyed', 'archived'] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];
export const SEAL_STATES = ['intact', 'broken'] as const;
export type SealState = (typeof SEAL_STATES)[number];

/**
 * What a registration's bytes are (register body version 2): one file, a
 * folder (by its manifest), a segment set (E01 and split raw images, by its
 * manifest; digests of the concatenated segments) or a block device.
 */
export const EVIDENCE_TYPES = ['file', 'directory', 'segments', 'device'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** The acquisition tools whose logs report digests a registration may carry (`reported.tool`). */
export const ACQUISITION_TOOLS = ['ewfacquire', 'ewfverify', 'ftk-imager', 'guymager', 'hashdeep'] as const;
export type AcquisitionTool = (typeof ACQUISITION_TOOLS)[number];

/** What the acquisition tool's own verification found (`reported.verification`). */
export const VERIFICATION_RESULTS = ['verified', 'failed'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** A fact as the kernel reported it (`device.readOnly`, `device.mounted`): a string, never a boolean, so a later value can be added. */
export const YES_NO = ['yes', 'no'] as const;

/**
 * Who a bundle is exported for (docs/PRIVACY.md §Disclosure profiles): each
 * names the committed fields whose cleartext the bundle carries.
 */
export const DISCLOSURE_PROFILES = ['court', 'defence', 'peer', 'public'] as const;
export type DisclosureProfile = (typeof DISCLOSURE_PROFILES)[number];
