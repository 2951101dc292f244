/**
 * What the verification does not prove because a check it rests on failed or was not made
 * (src/report/model-scope.ts, `Scope.notProven`), and the reasons quoted after it. "NOT shown"
 * says that the proof is missing, never that the claim is false: a translation must keep that.
 */
import { messages } from '../i18n.js';

export const SCOPE_UNPROVEN = messages({
  en: {
    // `{list}`: at most three reasons; `{n}`: how many more.
    reason_one: 'Reason: {list}.',
    reason_other: 'Reason: {list}.',
    reasonMore_one: 'Reason: {list}; and {n} more.',
    reasonMore_other: 'Reason: {list}; and {n} more.',
    notAuthentic:
      "Authenticity of the record is NOT shown, so nothing below is proven about this exhibit's history.[ {reason}]",
    noFile:
      'That any particular file is the evidence: no evidence file was compared with the registered digests in this verification.',
    fileMismatch:
      'That the file "{name}" is the registered evidence: its digests do NOT equal the registered ones.[ {reason}]',
    fileUnproven:
      'That the file "{name}" is the registered evidence: its digests equal the digests in the record, but the record itself is not shown to be authentic.',
    issueDigestAt: 'entry {seq} recorded a digest different from the registered one',
    issueSealAt: 'entry {seq} recorded a broken seal',
    issueDigestRecorded: 'digest mismatch recorded at entry {seq}',
    issueSealRecorded: 'broken seal recorded at entry {seq}',
    issueWrongAcceptor: 'the hand-over at entry {seq} was accepted by someone other than the named receiver',
    continuityNotShown:
      'Continuity and integrity of custody are NOT shown.[ {reason}] The recorded facts are genuine entries: the evidence may have changed, and what happened must be established from other sources.',
    continuityNotShownProblem:
      'Continuity and integrity of custody are NOT shown; moreover the record itself reports a problem.[ {reason}]',
    noWitnessRequired:
      'Independent confirmation of the checkpoint: no witness cosignatures were required or checked, so it is not shown that others were shown the same history (a split view is not excluded).',
    witnessesShort:
      'Independent confirmation of the checkpoint: only {verified} of the {quorum} required witnesses cosigned it, so it is not shown that others were shown the same history (a split view is not excluded).[ {reason}]',
    witnessesCount:
      'Independent confirmation of the checkpoint: {verified} of the {quorum} required witnesses cosigned it.[ {reason}]',
    noAuditor:
      "That the state the log committed to (an exhibit's last event, a key's revocation) was recomputed by someone else: no auditor was asked for, so it rests on the log key and the witnesses, who do not replay the log.",
    auditorsShort:
      'That the state the log committed to was recomputed by someone else: only {audited} of the {quorum} required auditors cosigned the checkpoint.',
    noCheckpoint:
      'That others were shown the same history: no signed checkpoint was verified, so the ledger copy could have been rewritten as a whole by whoever controls it.',
    completenessNotShown: 'Completeness of the history up to a signed checkpoint is NOT shown.[ {reason}]',
    checkpointUnsigned: 'the checkpoint is not signed by a log key',
    headFailed:
      "That entry {last} is this exhibit's last event up to the checkpoint: the exhibit record at the checkpoint did not verify, so later events of the exhibit may have been left out.[ {reason}]",
    headUnproven:
      "That entry {last} is this exhibit's last event up to the checkpoint: the bundle does not prove the exhibit record at the checkpoint, so later events of the exhibit may have been left out.[ {reason}]",
  },
  fr: {
    reason_one: 'Motif : {list}.',
    reason_other: 'Motifs : {list}.',
    reasonMore_one: 'Motifs : {list} ; et {n} autre.',
    reasonMore_other: 'Motifs : {list} ; et {n} autres.',
    notAuthentic:
      'L’authenticité de l’enregistrement n’est PAS démontrée ; rien de ce qui suit n’est donc prouvé quant à l’historique de cette pièce à conviction.[ {reason}]',
    noFile:
      'Qu’un fichier donné soit l’élément de preuve : aucun fichier de preuve n’a été comparé aux empreintes enregistrées lors de cette vérification.',
    fileMismatch:
      'Que le fichier « {name} » soit l’élément de preuve enregistré : ses empreintes ne sont PAS identiques aux empreintes enregistrées.[ {reason}]',
    fileUnproven:
      'Que le fichier « {name} » soit l’élément de preuve enregistré : ses empreintes sont identiques à celles de l’enregistrement, mais l’authenticité de l’enregistrement lui-même n’est pas démontrée.',
    issueDigestAt: 'l’entrée {seq} a consigné une empreinte différente de l’empreinte enregistrée',
    issueSealAt: 'l’entrée {seq} a consigné un scellé rompu',
    issueDigestRecorded: 'empreinte divergente consignée à l’entrée {seq}',
    issueSealRecorded: 'scellé rompu consigné à l’entrée {seq}',
    issueWrongAcceptor:
      'la remise de l’entrée {seq} a été acceptée par une autre personne que le destinataire désigné',
    continuityNotShown:
      'La continuité et l’intégrité de la garde ne sont PAS démontrées.[ {reason}] Les faits consignés sont des entrées authentiques : l’élément de preuve peut avoir changé, et ce qui s’est passé doit être établi par d’autres sources.',
    continuityNotShownProblem:
      'La continuité et l’intégrité de la garde ne sont PAS démontrées ; de plus, l’enregistrement lui-même signale un problème.[ {reason}]',
    noWitnessRequired:
      'Confirmation indépendante du point de contrôle : aucune cosignature de témoin n’a été exigée ni vérifiée ; il n’est donc pas démontré que le même historique ait été présenté à d’autres (une vue divergente n’est pas exclue).',
    witnessesShort:
      'Confirmation indépendante du point de contrôle : il n’a été cosigné que par {verified} des {quorum} témoins requis ; il n’est donc pas démontré que le même historique ait été présenté à d’autres (une vue divergente n’est pas exclue).[ {reason}]',
    witnessesCount:
      'Confirmation indépendante du point de contrôle : il a été cosigné par {verified} des {quorum} témoins requis.[ {reason}]',
    noAuditor:
      'Que l’état fixé par le journal (le dernier événement d’une pièce à conviction, la révocation d’une clé) ait été recalculé par un tiers : aucun auditeur n’a été demandé ; cet état repose donc sur la clé du journal et sur les témoins, qui ne rejouent pas le journal.',
    auditorsShort:
      'Que l’état fixé par le journal ait été recalculé par un tiers : le point de contrôle n’a été cosigné que par {audited} des {quorum} auditeurs requis.',
    noCheckpoint:
      'Que le même historique ait été présenté à d’autres : aucun point de contrôle signé n’a été vérifié ; la copie du registre aurait donc pu être réécrite en entier par quiconque la contrôle.',
    completenessNotShown:
      'La complétude de l’historique jusqu’à un point de contrôle signé n’est PAS démontrée.[ {reason}]',
    checkpointUnsigned: 'le point de contrôle n’est pas signé par une clé de journal',
    headFailed:
      'Que l’entrée {last} soit le dernier événement de cette pièce à conviction jusqu’au point de contrôle : la vérification de la fiche de la pièce à conviction au point de contrôle a échoué ; des événements ultérieurs de la pièce ont donc pu être omis.[ {reason}]',
    headUnproven:
      'Que l’entrée {last} soit le dernier événement de cette pièce à conviction jusqu’au point de contrôle : le dossier n’apporte pas la preuve de la fiche de la pièce à conviction au point de contrôle ; des événements ultérieurs de la pièce ont donc pu être omis.[ {reason}]',
  },
  de: {
    reason_one: 'Grund: {list}.',
    reason_other: 'Gründe: {list}.',
    reasonMore_one: 'Gründe: {list}; und {n} weiterer.',
    reasonMore_other: 'Gründe: {list}; und {n} weitere.',
    notAuthentic:
      'Die Echtheit der Aufzeichnung ist NICHT nachgewiesen; daher ist nichts von dem Folgenden über die Historie dieses Beweisstücks bewiesen.[ {reason}]',
    noFile:
      'Dass eine bestimmte Datei das Beweismittel ist: Bei dieser Prüfung wurde keine Beweisdatei mit den registrierten Hashwerten verglichen.',
    fileMismatch:
      'Dass die Datei „{name}“ das registrierte Beweismittel ist: Ihre Hashwerte stimmen NICHT mit den registrierten überein.[ {reason}]',
    fileUnproven:
      'Dass die Datei „{name}“ das registrierte Beweismittel ist: Ihre Hashwerte stimmen mit denen in der Aufzeichnung überein, aber die Echtheit der Aufzeichnung selbst ist nicht nachgewiesen.',
    issueDigestAt: 'Eintrag {seq} hat einen vom registrierten abweichenden Hashwert aufgezeichnet',
    issueSealAt: 'Eintrag {seq} hat ein gebrochenes Siegel aufgezeichnet',
    issueDigestRecorded: 'Hashwertabweichung in Eintrag {seq} aufgezeichnet',
    issueSealRecorded: 'Siegelbruch in Eintrag {seq} aufgezeichnet',
    issueWrongAcceptor: 'Übergabe in Eintrag {seq} von jemand anderem als dem genannten Empfänger angenommen',
    continuityNotShown:
      'Kontinuität und Unversehrtheit des Gewahrsams sind NICHT nachgewiesen.[ {reason}] Die aufgezeichneten Tatsachen sind echte Einträge: Das Beweismittel kann sich verändert haben, und was geschehen ist, muss aus anderen Quellen ermittelt werden.',
    continuityNotShownProblem:
      'Kontinuität und Unversehrtheit des Gewahrsams sind NICHT nachgewiesen; zudem meldet die Aufzeichnung selbst ein Problem.[ {reason}]',
    noWitnessRequired:
      'Unabhängige Bestätigung des Prüfpunkts: Es wurden keine Zeugen-Mitsignaturen verlangt oder geprüft; daher ist nicht nachgewiesen, dass anderen dieselbe Historie vorgelegt wurde (eine gespaltene Sicht ist nicht ausgeschlossen).',
    witnessesShort:
      'Unabhängige Bestätigung des Prüfpunkts: Er wurde nur von {verified} der {quorum} erforderlichen Zeugen mitsigniert; daher ist nicht nachgewiesen, dass anderen dieselbe Historie vorgelegt wurde (eine gespaltene Sicht ist nicht ausgeschlossen).[ {reason}]',
    witnessesCount:
      'Unabhängige Bestätigung des Prüfpunkts: Er wurde von {verified} der {quorum} erforderlichen Zeugen mitsigniert.[ {reason}]',
    noAuditor:
      'Dass der vom Protokoll festgeschriebene Zustand (das letzte Ereignis eines Beweisstücks, der Widerruf eines Schlüssels) von jemand anderem nachgerechnet wurde: Es wurde kein Prüfer verlangt; dieser Zustand beruht daher auf dem Protokollschlüssel und den Zeugen, die das Protokoll nicht erneut durchlaufen.',
    auditorsShort:
      'Dass der vom Protokoll festgeschriebene Zustand von jemand anderem nachgerechnet wurde: Der Prüfpunkt wurde nur von {audited} der {quorum} erforderlichen Prüfer mitsigniert.',
    noCheckpoint:
      'Dass anderen dieselbe Historie vorgelegt wurde: Es wurde kein signierter Prüfpunkt geprüft; die Kopie des Registers hätte daher von jedem, der sie kontrolliert, als Ganzes umgeschrieben werden können.',
    completenessNotShown:
      'Die Vollständigkeit der Historie bis zu einem signierten Prüfpunkt ist NICHT nachgewiesen.[ {reason}]',
    checkpointUnsigned: 'Prüfpunkt nicht mit einem Protokollschlüssel signiert',
    headFailed:
      'Dass Eintrag {last} das letzte Ereignis dieses Beweisstücks bis zum Prüfpunkt ist: Der Datensatz des Beweisstücks am Prüfpunkt hat die Prüfung nicht bestanden; spätere Ereignisse des Beweisstücks können daher ausgelassen worden sein.[ {reason}]',
    headUnproven:
      'Dass Eintrag {last} das letzte Ereignis dieses Beweisstücks bis zum Prüfpunkt ist: Das Paket beweist den Datensatz des Beweisstücks am Prüfpunkt nicht; spätere Ereignisse des Beweisstücks können daher ausgelassen worden sein.[ {reason}]',
  },
  nl: {
    reason_one: 'Reden: {list}.',
    reason_other: 'Redenen: {list}.',
    reasonMore_one: 'Redenen: {list}; en nog {n} andere.',
    reasonMore_other: 'Redenen: {list}; en nog {n} andere.',
    notAuthentic:
      'De authenticiteit van de vastlegging is NIET aangetoond; daarom is niets van het onderstaande bewezen over de geschiedenis van dit stuk van overtuiging.[ {reason}]',
    noFile:
      'Dat een bepaald bestand het bewijsmateriaal is: bij deze controle is geen bewijsbestand vergeleken met de geregistreerde hashwaarden.',
    fileMismatch:
      'Dat het bestand "{name}" het geregistreerde bewijsmateriaal is: de hashwaarden ervan zijn NIET gelijk aan de geregistreerde.[ {reason}]',
    fileUnproven:
      'Dat het bestand "{name}" het geregistreerde bewijsmateriaal is: de hashwaarden ervan zijn gelijk aan die in de vastlegging, maar de authenticiteit van de vastlegging zelf is niet aangetoond.',
    issueDigestAt: 'vermelding {seq} legde een hashwaarde vast die afwijkt van de geregistreerde',
    issueSealAt: 'vermelding {seq} legde een verbroken zegel vast',
    issueDigestRecorded: 'afwijkende hashwaarde vastgelegd in vermelding {seq}',
    issueSealRecorded: 'verbroken zegel vastgelegd in vermelding {seq}',
    issueWrongAcceptor:
      'de overdracht in vermelding {seq} is aanvaard door een ander dan de aangewezen ontvanger',
    continuityNotShown:
      'Continuïteit en integriteit van de bewaring zijn NIET aangetoond.[ {reason}] De vastgelegde feiten zijn echte vermeldingen: het bewijsmateriaal kan zijn veranderd, en wat er is gebeurd moet uit andere bronnen worden vastgesteld.',
    continuityNotShownProblem:
      'Continuïteit en integriteit van de bewaring zijn NIET aangetoond; bovendien meldt de vastlegging zelf een probleem.[ {reason}]',
    noWitnessRequired:
      'Onafhankelijke bevestiging van het controlepunt: er zijn geen medeondertekeningen van getuigen vereist of gecontroleerd; het is dus niet aangetoond dat aan anderen dezelfde geschiedenis is getoond (een gesplitste weergave is niet uitgesloten).',
    witnessesShort:
      'Onafhankelijke bevestiging van het controlepunt: het is slechts door {verified} van de {quorum} vereiste getuigen medeondertekend; het is dus niet aangetoond dat aan anderen dezelfde geschiedenis is getoond (een gesplitste weergave is niet uitgesloten).[ {reason}]',
    witnessesCount:
      'Onafhankelijke bevestiging van het controlepunt: het is door {verified} van de {quorum} vereiste getuigen medeondertekend.[ {reason}]',
    noAuditor:
      'Dat de toestand die het logboek heeft vastgelegd (de laatste gebeurtenis van een stuk van overtuiging, de intrekking van een sleutel) door een ander opnieuw is berekend: er is geen auditor gevraagd; die toestand berust dus op de logboeksleutel en de getuigen, die het logboek niet opnieuw doorlopen.',
    auditorsShort:
      'Dat de toestand die het logboek heeft vastgelegd door een ander opnieuw is berekend: het controlepunt is slechts door {audited} van de {quorum} vereiste auditors medeondertekend.',
    noCheckpoint:
      'Dat aan anderen dezelfde geschiedenis is getoond: er is geen ondertekend controlepunt gecontroleerd; de kopie van het register had dus in haar geheel kunnen worden herschreven door wie haar beheert.',
    completenessNotShown:
      'De volledigheid van de geschiedenis tot aan een ondertekend controlepunt is NIET aangetoond.[ {reason}]',
    checkpointUnsigned: 'het controlepunt is niet ondertekend met een logboeksleutel',
    headFailed:
      'Dat vermelding {last} de laatste gebeurtenis van dit stuk van overtuiging tot aan het controlepunt is: het record van het stuk van overtuiging bij het controlepunt heeft de verificatie niet doorstaan; latere gebeurtenissen van het stuk kunnen dus zijn weggelaten.[ {reason}]',
    headUnproven:
      'Dat vermelding {last} de laatste gebeurtenis van dit stuk van overtuiging tot aan het controlepunt is: het pakket bewijst het record van het stuk van overtuiging bij het controlepunt niet; latere gebeurtenissen van het stuk kunnen dus zijn weggelaten.[ {reason}]',
  },
});
