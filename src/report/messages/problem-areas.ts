/**
 * What a problem is about, by the area of its code (PROBLEM_AREAS in src/problem-codes.ts),
 * worded for the reader rather than the developer; `unknown` is for a code this version does
 * not know. Read through problemAreaText (src/report/model-areas.ts).
 */
import { messages } from '../i18n.js';

export const PROBLEM_AREA_TEXT = messages({
  en: {
    decoding:
      'The format of the records: data that does not decode strictly or breaks the format (signed statements, entries, revealed cleartext, bundle files).',
    chain: 'The log as an append-only sequence: positions, log times, payload hashes and earlier roots.',
    signature: 'Signatures, and whether the key was still entitled to sign (not revoked, not compromised).',
    tree: 'The signed checkpoints and the Merkle tree they sign: signature, origin, size, root and inclusion proofs.',
    map: 'The state map: the map roots the entries carry, map proofs, and the records of the ledger and its keys.',
    head: "The exhibit's own record at the checkpoint: that no later event of it exists.",
    store:
      'The derived data a ledger store keeps beside the entries (head, records, tree nodes, indexes, map).',
    custody: 'The custody rules: who may register, hand over, accept or act on an exhibit, and when.',
    trust: 'What you trust or require: authority and log keys, the witness policy.',
    witness: 'Witness cosignatures on the checkpoint.',
    file: 'The evidence file in hand, compared with the registered size and digests.',
    integrity: 'Integrity as the history records it: a digest that differed on a re-check, a broken seal.',
    verifier:
      'The verification could not be carried out in full: a resource limit, a failing source or a software fault.',
    unknown: 'A problem code this version of the report does not know.',
  },
  fr: {
    decoding:
      'Le format des enregistrements : données qui ne se décodent pas strictement ou qui enfreignent le format (déclarations signées, entrées, texte en clair révélé, fichiers du dossier).',
    chain:
      'Le journal en tant que suite où l’on ne fait qu’ajouter : positions, heures du journal, empreintes des contenus et racines antérieures.',
    signature: 'Les signatures, et le droit de la clé de signer à ce moment (ni révoquée, ni compromise).',
    tree: 'Les points de contrôle signés et l’arbre de Merkle qu’ils signent : signature, origine, taille, racine et preuves d’inclusion.',
    map: 'La table d’état : les racines de table d’état que portent les entrées, les preuves de table d’état, et les fiches du registre et de ses clés.',
    head: 'La fiche propre de la pièce à conviction au point de contrôle : l’absence de tout événement ultérieur.',
    store:
      'Les données dérivées que le stockage du registre conserve à côté des entrées (tête, fiches, nœuds de l’arbre, index, table d’état).',
    custody:
      'Les règles de garde : qui peut enregistrer, remettre, accepter une pièce à conviction ou agir sur elle, et quand.',
    trust:
      'Ce en quoi vous avez confiance ou ce que vous exigez : clés de l’autorité et du journal, politique des témoins.',
    witness: 'Les cosignatures des témoins sur le point de contrôle.',
    file: 'Le fichier de preuve présenté, comparé à la taille et aux empreintes enregistrées.',
    integrity:
      'L’intégrité telle que l’historique la consigne : une empreinte divergente lors d’un nouveau contrôle, un scellé rompu.',
    verifier:
      'La vérification n’a pas pu être menée entièrement : limite de ressources, source défaillante ou défaut du logiciel.',
    unknown: 'Un code de problème que cette version du rapport ne connaît pas.',
  },
  de: {
    decoding:
      'Das Format der Datensätze: Daten, die sich nicht streng dekodieren lassen oder das Format verletzen (signierte Erklärungen, Einträge, offengelegter Klartext, Paketdateien).',
    chain:
      'Das Protokoll als nur durch Anhängen erweiterbare Folge: Positionen, Protokollzeiten, Hashwerte der Inhalte und frühere Wurzeln.',
    signature:
      'Signaturen und ob der Schlüssel noch zur Signatur berechtigt war (nicht widerrufen, nicht kompromittiert).',
    tree: 'Die signierten Prüfpunkte und der Merkle-Baum, den sie signieren: Signatur, Ursprung, Größe, Wurzel und Inklusionsbeweise.',
    map: 'Die Zustandskarte: die Kartenwurzeln der Einträge, die Kartenbeweise sowie die Angaben zum Register und zu seinen Schlüsseln.',
    head: 'Der eigene Stand des Beweisstücks am Prüfpunkt: dass kein späteres Ereignis existiert.',
    store:
      'Die abgeleiteten Daten, die der Registerspeicher neben den Einträgen führt (Kopf, Zustände, Baumknoten, Indizes, Karte).',
    custody:
      'Die Gewahrsamsregeln: wer ein Beweisstück registrieren, übergeben, annehmen oder sonst damit handeln darf, und wann.',
    trust:
      'Worauf Sie vertrauen oder was Sie verlangen: Schlüssel der Behörde und des Protokolls, die Zeugenrichtlinie.',
    witness: 'Mitsignaturen der Zeugen auf dem Prüfpunkt.',
    file: 'Die vorliegende Beweisdatei, verglichen mit der registrierten Größe und den registrierten Hashwerten.',
    integrity:
      'Die Integrität, wie die Historie sie aufzeichnet: ein bei einer Nachprüfung abweichender Hashwert, ein gebrochenes Siegel.',
    verifier:
      'Die Prüfung konnte nicht vollständig durchgeführt werden: eine Ressourcengrenze, eine fehlerhafte Quelle oder ein Softwarefehler.',
    unknown: 'Ein Problemcode, den diese Version des Berichts nicht kennt.',
  },
  nl: {
    decoding:
      'Het formaat van de gegevensrecords: gegevens die niet strikt decoderen of het formaat schenden (ondertekende verklaringen, vermeldingen, onthulde klaartekst, pakketbestanden).',
    chain:
      'Het logboek als reeks waaraan alleen wordt toegevoegd: posities, logboektijden, hashwaarden van de inhoud en eerdere wortels.',
    signature:
      'Handtekeningen, en of de sleutel nog bevoegd was te ondertekenen (niet ingetrokken, niet gecompromitteerd).',
    tree: 'De ondertekende controlepunten en de Merkle-boom die zij ondertekenen: handtekening, oorsprong, grootte, wortel en inclusiebewijzen.',
    map: 'De toestandskaart: de kaartwortels in de vermeldingen, de kaartbewijzen, en de gegevens van het register en zijn sleutels.',
    head: 'De eigen stand van het stuk van overtuiging op het controlepunt: dat er geen latere gebeurtenis bestaat.',
    store:
      'De afgeleide gegevens die de registeropslag naast de vermeldingen bijhoudt (kop, toestanden, boomknopen, indexen, kaart).',
    custody:
      'De regels van de bewaarketen: wie een stuk van overtuiging mag registreren, overdragen, aanvaarden of er anderszins mee mag handelen, en wanneer.',
    trust: 'Wat u vertrouwt of vereist: sleutels van de autoriteit en van het logboek, het getuigenbeleid.',
    witness: 'Medeondertekeningen van getuigen op het controlepunt.',
    file: 'Het voorliggende bewijsbestand, vergeleken met de geregistreerde grootte en hashwaarden.',
    integrity:
      'De integriteit zoals de geschiedenis die vastlegt: een hashwaarde die bij een hercontrole afweek, een verbroken zegel.',
    verifier:
      'De verificatie kon niet volledig worden uitgevoerd: een limiet voor systeembronnen, een falende bron of een softwarefout.',
    unknown: 'Een probleemcode die deze versie van het rapport niet kent.',
  },
});
