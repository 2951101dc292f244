/**
 * Provenance and method (src/report/model-method.ts): where the report's evidence comes from,
 * what each algorithm is used for, and why the weak digests carry no finding. Algorithm names and
 * standards stay as written: they are the names the standards give.
 */
import { messages } from '../i18n.js';

export const METHOD = messages({
  en: {
    provenanceByCode:
      'Verified {utc} by the verifier page of {tool} {version} (its embedded code has SHA-256 {code}).[ The bundle verified has SHA-256 {bundle}.] This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.',
    provenanceByPage:
      'Verified {utc} by {tool} {version}, whose published verifier page has SHA-256 {page}.[ The bundle verified has SHA-256 {bundle}.] This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.',
    provenanceNoPage:
      'Verified {utc} by {tool} {version} (the SHA-256 of its verifier page was not at hand).[ The bundle verified has SHA-256 {bundle}.] This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.',
    useEd25519: 'signature on every entry, checkpoint and cosignature',
    useSha256:
      'digest of the evidence file; leaf hash of every entry, statement identities, commitments and the state map',
    useMerkle: 'inclusion of entries in a checkpoint',
    useCheckpoint: "the log's signed statement of its size and root",
    useCosignature: 'independent confirmation of a checkpoint',
    useEncoding: 'the exact bytes that are signed and hashed',
    weakDigests_one:
      '{names} is shown only for comparison with other tools; no finding rests on it (collisions can be constructed).',
    weakDigests_other:
      '{names} are shown only for comparison with other tools; no finding rests on them (collisions can be constructed).',
  },
  fr: {
    provenanceByCode:
      'Vérifié le {utc} par la page de vérification de {tool} {version} (le SHA-256 de son code intégré est {code}).[ Le SHA-256 du dossier vérifié est {bundle}.] Ce rapport ne prouve rien à lui seul : l’élément de preuve est le dossier, contrôlé au moyen d’un vérificateur obtenu de façon indépendante.',
    provenanceByPage:
      'Vérifié le {utc} par {tool} {version}, dont la page de vérification publiée a pour SHA-256 {page}.[ Le SHA-256 du dossier vérifié est {bundle}.] Ce rapport ne prouve rien à lui seul : l’élément de preuve est le dossier, contrôlé au moyen d’un vérificateur obtenu de façon indépendante.',
    provenanceNoPage:
      'Vérifié le {utc} par {tool} {version} (le SHA-256 de sa page de vérification n’était pas disponible).[ Le SHA-256 du dossier vérifié est {bundle}.] Ce rapport ne prouve rien à lui seul : l’élément de preuve est le dossier, contrôlé au moyen d’un vérificateur obtenu de façon indépendante.',
    useEd25519: 'signature de chaque entrée, de chaque point de contrôle et de chaque cosignature',
    useSha256:
      'empreinte du fichier de preuve ; hachage de feuille de chaque entrée, identifiants des déclarations signées, engagements et table d’état',
    useMerkle: 'inclusion des entrées dans un point de contrôle',
    useCheckpoint: 'déclaration signée du journal indiquant sa taille et sa racine',
    useCosignature: 'confirmation indépendante d’un point de contrôle',
    useEncoding: 'les octets exacts qui sont signés et hachés',
    weakDigests_one:
      '{names} n’est indiqué qu’à titre de comparaison avec d’autres outils ; aucune constatation n’en dépend (des collisions peuvent être construites).',
    weakDigests_other:
      '{names} ne sont indiqués qu’à titre de comparaison avec d’autres outils ; aucune constatation n’en dépend (des collisions peuvent être construites).',
  },
  de: {
    provenanceByCode:
      'Geprüft am {utc} mit der Prüfseite von {tool} {version} (ihr eingebetteter Code hat den SHA-256-Wert {code}).[ Das geprüfte Paket hat den SHA-256-Wert {bundle}.] Dieser Bericht beweist für sich allein nichts: Beweismittel ist das Paket, geprüft mit einem unabhängig beschafften Prüfprogramm.',
    provenanceByPage:
      'Geprüft am {utc} mit {tool} {version}, dessen veröffentlichte Prüfseite den SHA-256-Wert {page} hat.[ Das geprüfte Paket hat den SHA-256-Wert {bundle}.] Dieser Bericht beweist für sich allein nichts: Beweismittel ist das Paket, geprüft mit einem unabhängig beschafften Prüfprogramm.',
    provenanceNoPage:
      'Geprüft am {utc} mit {tool} {version} (der SHA-256-Wert seiner Prüfseite lag nicht vor).[ Das geprüfte Paket hat den SHA-256-Wert {bundle}.] Dieser Bericht beweist für sich allein nichts: Beweismittel ist das Paket, geprüft mit einem unabhängig beschafften Prüfprogramm.',
    useEd25519: 'Signatur jedes Eintrags, jedes Prüfpunkts und jeder Mitsignatur',
    useSha256:
      'Hashwert der Beweisdatei; Blatt-Hash jedes Eintrags, Kennungen der signierten Erklärungen, Commitments und die Zustandskarte',
    useMerkle: 'Aufnahme von Einträgen in einen Prüfpunkt',
    useCheckpoint: 'die signierte Erklärung des Protokolls über seine Größe und seine Wurzel',
    useCosignature: 'unabhängige Bestätigung eines Prüfpunkts',
    useEncoding: 'die genauen Bytes, die signiert und gehasht werden',
    weakDigests_one:
      '{names} wird nur zum Vergleich mit anderen Werkzeugen angegeben; kein Befund stützt sich darauf (Kollisionen lassen sich konstruieren).',
    weakDigests_other:
      '{names} werden nur zum Vergleich mit anderen Werkzeugen angegeben; kein Befund stützt sich darauf (Kollisionen lassen sich konstruieren).',
  },
  nl: {
    provenanceByCode:
      'Geverifieerd op {utc} met de verificatiepagina van {tool} {version} (de ingebouwde code heeft SHA-256 {code}).[ Het geverifieerde pakket heeft SHA-256 {bundle}.] Dit rapport bewijst op zichzelf niets: het bewijs is het pakket, gecontroleerd met een onafhankelijk verkregen verificatieprogramma.',
    provenanceByPage:
      'Geverifieerd op {utc} met {tool} {version}, waarvan de gepubliceerde verificatiepagina SHA-256 {page} heeft.[ Het geverifieerde pakket heeft SHA-256 {bundle}.] Dit rapport bewijst op zichzelf niets: het bewijs is het pakket, gecontroleerd met een onafhankelijk verkregen verificatieprogramma.',
    provenanceNoPage:
      'Geverifieerd op {utc} met {tool} {version} (de SHA-256 van de verificatiepagina was niet beschikbaar).[ Het geverifieerde pakket heeft SHA-256 {bundle}.] Dit rapport bewijst op zichzelf niets: het bewijs is het pakket, gecontroleerd met een onafhankelijk verkregen verificatieprogramma.',
    useEd25519: 'handtekening op elke vermelding, elk controlepunt en elke medeondertekening',
    useSha256:
      'hashwaarde van het bewijsbestand; bladhash van elke vermelding, identiteiten van ondertekende verklaringen, commitments en de toestandskaart',
    useMerkle: 'opname van vermeldingen in een controlepunt',
    useCheckpoint: 'de ondertekende verklaring van het logboek over zijn grootte en wortel',
    useCosignature: 'onafhankelijke bevestiging van een controlepunt',
    useEncoding: 'de exacte bytes die worden ondertekend en gehasht',
    weakDigests_one:
      '{names} wordt alleen getoond ter vergelijking met andere hulpmiddelen; geen enkele bevinding berust erop (collisies kunnen worden geconstrueerd).',
    weakDigests_other:
      '{names} worden alleen getoond ter vergelijking met andere hulpmiddelen; geen enkele bevinding berust erop (collisies kunnen worden geconstrueerd).',
  },
});
