/**
 * What the renderers write themselves (src/report/text.ts, html.ts, svg.ts, cli/report-pdf.ts):
 * headings, labels and the words for the model's enumerated values. The model's own sentences
 * come translated in the model. RENDER holds what several renderers share and the PDF's own
 * lines; the text report, the HTML and the picture have their own catalogues beside this one.
 * Below the catalogue: the words for the model's enumerated values, which stay English codes
 * in the model.
 */
import { isLanguage, type Language, messages, say } from '../i18n.js';
import type { RehashResult, ReportModel, SealResult } from '../model-types.js';

export const RENDER = messages({
  en: {
    identification: 'Identification',
    custody: 'Custody',
    lineage: 'Derived evidence (lineage)',
    checks: 'Checks',
    problems: 'Problems',
    scope: 'Scope',
    trustAnchors: 'Trust anchors',
    checkpoint: 'Checkpoint',
    method: 'Method',
    fileCompared: 'File compared',
    custodyPeriods: 'Custody periods',
    handovers: 'Hand-overs',
    allEntries: 'All entries of this exhibit',
    notes: 'Disclosures, legal holds and erasures',
    custodyAtAGlance: 'Custody at a glance',
    label: 'Label',
    exhibitId: 'Exhibit id',
    case: 'Case',
    description: 'Description',
    size: 'Size',
    registered: 'Registered',
    seal: 'Seal',
    derivedFrom: 'Derived from',
    evidence: 'Evidence',
    nonconformities: 'Non-conformities',
    verified: 'VERIFIED',
    notVerified: 'NOT VERIFIED ({outcome})',
    rehashMatch: 'match',
    rehashMismatch: 'MISMATCH',
    rehashNotRehashed: 'not re-hashed',
    rehashNotComparable: 'not comparable',
    sealIntact: 'intact',
    sealBroken: 'broken',
    sealBrokenLoud: 'BROKEN',
    sealNotRecorded: 'not recorded',
    relationThis: 'this exhibit',
    relationFrom: 'derived from',
    relationCopy: 'derived copy',
    guaranteeContent: 'content and order',
    guaranteeSigner: 'signer identity',
    guaranteeTime: 'time',
    pending: 'pending',
    rejected: 'rejected',
    cancelled: 'cancelled',
    exhibitNotFound: 'The exhibit was not found in the record.',
    neverHandedOver: 'The exhibit was never handed over.',
    noChecks: 'No checks were reported.',
    noProblems: 'No problems were found.',
    nothingProven: 'Nothing is claimed as proven: the checks the claims rest on did not pass.',
    noAnchor: 'No trust anchor was supplied: the record is not anchored.',
    notAcceptedAtEnd: 'pending: not accepted at the end of the record',
    sameJurisdiction: 'none (same jurisdiction)',
    cosignedReplayed: 'cosigned (replayed the log)',
    keyYouSupplied: 'the key you supplied',
    cosigned: 'cosigned',
    pdfAttachment: 'the custody bundle this report verified',
    pdfAttached:
      'The bundle ({name}) is attached to this PDF. Its evidence is that bundle, checked with a verifier obtained independently; this document proves nothing by itself.',
    pdfFrom: 'from {time}',
  },
  fr: {
    identification: 'Identification de la pièce',
    custody: 'Garde',
    lineage: 'Preuves dérivées (filiation)',
    checks: 'Vérifications',
    problems: 'Problèmes',
    scope: 'Portée',
    trustAnchors: 'Ancres de confiance',
    checkpoint: 'Point de contrôle',
    method: 'Méthode',
    fileCompared: 'Fichier comparé',
    custodyPeriods: 'Périodes de garde',
    handovers: 'Remises',
    allEntries: 'Toutes les entrées de cette pièce à conviction',
    notes: 'Communications, restrictions légales et effacements',
    custodyAtAGlance: 'Vue d’ensemble de la garde',
    label: 'Libellé',
    exhibitId: 'Identifiant de la pièce',
    case: 'Affaire',
    description: 'Descriptif',
    size: 'Taille',
    registered: 'Enregistrement',
    seal: 'Scellé',
    derivedFrom: 'Dérivée de',
    evidence: 'Nature de la preuve',
    nonconformities: 'Non-conformités',
    verified: 'VÉRIFIÉ',
    notVerified: 'NON VÉRIFIÉ ({outcome})',
    rehashMatch: 'concordante',
    rehashMismatch: 'DIVERGENTE',
    rehashNotRehashed: 'non recalculée',
    rehashNotComparable: 'non comparable',
    sealIntact: 'non rompu',
    sealBroken: 'rompu',
    sealBrokenLoud: 'ROMPU',
    sealNotRecorded: 'non enregistré',
    relationThis: 'cette pièce',
    relationFrom: 'dérivée de',
    relationCopy: 'copie dérivée',
    guaranteeContent: 'contenu et ordre',
    guaranteeSigner: 'identité du signataire',
    guaranteeTime: 'date et heure',
    pending: 'en attente',
    rejected: 'refusée',
    cancelled: 'annulée',
    exhibitNotFound: 'La pièce à conviction est introuvable dans l’enregistrement.',
    neverHandedOver: 'La pièce à conviction n’a jamais été remise.',
    noChecks: 'Aucune vérification n’a été rapportée.',
    noProblems: 'Aucun problème n’a été constaté.',
    nothingProven:
      'Rien n’est affirmé comme prouvé : les vérifications sur lesquelles reposent ces affirmations n’ont pas réussi.',
    noAnchor: 'Aucune ancre de confiance n’a été fournie : l’enregistrement n’est pas rattaché.',
    notAcceptedAtEnd: 'en attente : non acceptée à la fin de l’enregistrement',
    sameJurisdiction: 'aucune (même ordre juridique)',
    cosignedReplayed: 'cosigné (a rejoué le journal)',
    keyYouSupplied: 'la clé que vous avez fournie',
    cosigned: 'cosigné',
    pdfAttachment: 'le dossier de preuve vérifié par ce rapport',
    pdfAttached:
      'Le dossier ({name}) est joint à ce PDF. La preuve est ce dossier, vérifié avec un vérificateur obtenu de manière indépendante ; le présent document ne prouve rien par lui-même.',
    pdfFrom: 'à partir du {time}',
  },
  de: {
    identification: 'Identifizierung',
    custody: 'Gewahrsam',
    lineage: 'Abgeleitete Beweismittel (Herkunft)',
    checks: 'Prüfungen',
    problems: 'Probleme',
    scope: 'Umfang',
    trustAnchors: 'Vertrauensanker',
    checkpoint: 'Prüfpunkt',
    method: 'Methode',
    fileCompared: 'Verglichene Datei',
    custodyPeriods: 'Gewahrsamszeiträume',
    handovers: 'Übergaben',
    allEntries: 'Alle Einträge zu diesem Beweisstück',
    notes: 'Offenlegungen, rechtliche Sperren und Löschungen',
    custodyAtAGlance: 'Gewahrsam im Überblick',
    label: 'Bezeichnung',
    exhibitId: 'Kennung des Beweisstücks',
    case: 'Aktenzeichen',
    description: 'Beschreibung',
    size: 'Größe',
    registered: 'Registriert',
    seal: 'Siegel',
    derivedFrom: 'Abgeleitet von',
    evidence: 'Art des Beweismittels',
    nonconformities: 'Nichtkonformitäten',
    verified: 'VERIFIZIERT',
    notVerified: 'NICHT VERIFIZIERT ({outcome})',
    rehashMatch: 'übereinstimmend',
    rehashMismatch: 'ABWEICHUNG',
    rehashNotRehashed: 'nicht neu berechnet',
    rehashNotComparable: 'nicht vergleichbar',
    sealIntact: 'unversehrt',
    sealBroken: 'gebrochen',
    sealBrokenLoud: 'GEBROCHEN',
    sealNotRecorded: 'nicht erfasst',
    relationThis: 'dieses Beweisstück',
    relationFrom: 'abgeleitet von',
    relationCopy: 'abgeleitete Kopie',
    guaranteeContent: 'Inhalt und Reihenfolge',
    guaranteeSigner: 'Identität des Unterzeichners',
    guaranteeTime: 'Zeitpunkt',
    pending: 'ausstehend',
    rejected: 'abgelehnt',
    cancelled: 'zurückgenommen',
    exhibitNotFound: 'Das Beweisstück wurde in der Aufzeichnung nicht gefunden.',
    neverHandedOver: 'Das Beweisstück wurde nie übergeben.',
    noChecks: 'Es wurden keine Prüfungen gemeldet.',
    noProblems: 'Es wurden keine Probleme festgestellt.',
    nothingProven:
      'Nichts wird als bewiesen behauptet: Die Prüfungen, auf denen die Aussagen beruhen, wurden nicht bestanden.',
    noAnchor: 'Es wurde kein Vertrauensanker angegeben: Die Aufzeichnung ist nicht verankert.',
    notAcceptedAtEnd: 'ausstehend: am Ende der Aufzeichnung nicht angenommen',
    sameJurisdiction: 'keine (dieselbe Rechtsordnung)',
    cosignedReplayed: 'mitsigniert (hat das Protokoll erneut durchlaufen)',
    keyYouSupplied: 'der von Ihnen angegebene Schlüssel',
    cosigned: 'mitsigniert',
    pdfAttachment: 'das von diesem Bericht verifizierte Paket',
    pdfAttached:
      'Das Paket ({name}) ist diesem PDF beigefügt. Beweismittel ist dieses Paket, geprüft mit einem unabhängig beschafften Prüfprogramm; dieses Dokument beweist für sich allein nichts.',
    pdfFrom: 'ab {time}',
  },
  nl: {
    identification: 'Identificatie',
    custody: 'Bewaring',
    lineage: 'Afgeleid bewijs (herkomst)',
    checks: 'Controles',
    problems: 'Problemen',
    scope: 'Reikwijdte',
    trustAnchors: 'Vertrouwensankers',
    checkpoint: 'Controlepunt',
    method: 'Methode',
    fileCompared: 'Vergeleken bestand',
    custodyPeriods: 'Bewaringsperioden',
    handovers: 'Overdrachten',
    allEntries: 'Alle vermeldingen van dit stuk van overtuiging',
    notes: 'Verstrekkingen, juridische blokkades en wissingen',
    custodyAtAGlance: 'Bewaring in één oogopslag',
    label: 'Aanduiding',
    exhibitId: 'Kenmerk van het stuk',
    case: 'Zaak',
    description: 'Omschrijving',
    size: 'Grootte',
    registered: 'Geregistreerd',
    seal: 'Zegel',
    derivedFrom: 'Afgeleid van',
    evidence: 'Soort bewijs',
    nonconformities: 'Non-conformiteiten',
    verified: 'GEVERIFIEERD',
    notVerified: 'NIET GEVERIFIEERD ({outcome})',
    rehashMatch: 'overeenkomend',
    rehashMismatch: 'AFWIJKEND',
    rehashNotRehashed: 'niet opnieuw berekend',
    rehashNotComparable: 'niet vergelijkbaar',
    sealIntact: 'ongeschonden',
    sealBroken: 'verbroken',
    sealBrokenLoud: 'VERBROKEN',
    sealNotRecorded: 'niet vastgelegd',
    relationThis: 'dit stuk',
    relationFrom: 'afgeleid van',
    relationCopy: 'afgeleide kopie',
    guaranteeContent: 'inhoud en volgorde',
    guaranteeSigner: 'identiteit van de ondertekenaar',
    guaranteeTime: 'tijdstip',
    pending: 'in afwachting',
    rejected: 'geweigerd',
    cancelled: 'geannuleerd',
    exhibitNotFound: 'Het stuk van overtuiging is niet gevonden in de vastlegging.',
    neverHandedOver: 'Het stuk van overtuiging is nooit overgedragen.',
    noChecks: 'Er zijn geen controles gerapporteerd.',
    noProblems: 'Er zijn geen problemen gevonden.',
    nothingProven:
      'Niets wordt als bewezen gesteld: de controles waarop de beweringen berusten, zijn niet geslaagd.',
    noAnchor: 'Er is geen vertrouwensanker opgegeven: de vastlegging is niet verankerd.',
    notAcceptedAtEnd: 'in afwachting: aan het einde van de vastlegging niet aanvaard',
    sameJurisdiction: 'geen (zelfde rechtsgebied)',
    cosignedReplayed: 'medeondertekend (heeft het logboek opnieuw doorlopen)',
    keyYouSupplied: 'de door u opgegeven sleutel',
    cosigned: 'medeondertekend',
    pdfAttachment: 'het pakket dat dit rapport heeft geverifieerd',
    pdfAttached:
      'Het pakket ({name}) is bij deze PDF gevoegd. Het bewijs is dat pakket, gecontroleerd met een onafhankelijk verkregen verificatieprogramma; dit document bewijst op zichzelf niets.',
    pdfFrom: 'vanaf {time}',
  },
});

/** The language a model is worded in: English for a model made before reports had one. */
export function languageOf(model: ReportModel): Language {
  return isLanguage(model.lang ?? '') ? model.lang : 'en';
}

/** The words for a re-hash result (the model keeps its English code). */
export function rehashWord(lang: Language, r: RehashResult | null): string {
  if (r === null) return '—';
  const key = (
    {
      match: 'rehashMatch',
      MISMATCH: 'rehashMismatch',
      'not re-hashed': 'rehashNotRehashed',
      'not comparable': 'rehashNotComparable',
    } as const
  )[r];
  return say(RENDER, lang, key);
}

/** The words for a seal finding: `loud` writes a broken seal in capitals, as the text report does. */
export function sealWord(lang: Language, r: SealResult | null, loud = false): string {
  if (r === null) return '—';
  if (r === 'broken') return say(RENDER, lang, loud ? 'sealBrokenLoud' : 'sealBroken');
  return say(RENDER, lang, r === 'intact' ? 'sealIntact' : 'sealNotRecorded');
}

/** The words for how a lineage row relates to this exhibit. */
export function relationWord(lang: Language, r: 'this exhibit' | 'derived from' | 'derived copy'): string {
  return say(
    RENDER,
    lang,
    r === 'this exhibit' ? 'relationThis' : r === 'derived from' ? 'relationFrom' : 'relationCopy',
  );
}

/** The words for what a checkpoint guarantee covers. */
export function guaranteeWord(lang: Language, g: 'content and order' | 'signer identity' | 'time'): string {
  return say(
    RENDER,
    lang,
    g === 'content and order'
      ? 'guaranteeContent'
      : g === 'signer identity'
        ? 'guaranteeSigner'
        : 'guaranteeTime',
  );
}
