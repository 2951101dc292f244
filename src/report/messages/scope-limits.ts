/**
 * The limits of any custody record, stated in every report whatever the checks say
 * (src/report/model-scope.ts), and what peer ledgers alone can show. Each keeps every
 * limitation of the English: a translation may not narrow what the record leaves unproven.
 */
import { messages } from '../i18n.js';

export const SCOPE_LIMITS = messages({
  en: {
    // `{entries}`: the entries that crossed, with their noun (SCOPE_PROVEN.entryList).
    peerHistory:
      'The exhibit\'s history in the ledger "{from}": this record shows what crossed from it ({entries}), each vouched for by that ledger\'s receipt under the tlog-policy that "{origin}"\'s authority recorded for it, and signed by keys of that ledger; that those keys were enrolled there, and any event there before or between them, are that ledger\'s to show: verify a bundle from "{from}" as well.',
    beforeRegistration:
      'What happened before registration[ (entry {seq}, {time})]: the seizure itself, and any handling of the evidence before it was registered, are outside the record.',
    truth:
      'The truth of what the entries say: descriptions, labels, reasons, seal numbers, places, notes and legal-basis references are statements by the person who signed them; the record proves who made each statement, not that it is true or that the legal basis is valid.',
    times:
      "The times: every time is the time claimed when the entry was written (the signer's or the ledger's clock); the record proves the order of the entries, not that any clock was right.",
    people:
      "That the people behind the keys are who the entries say: the record proves which key signed each entry; that a key belongs to a named person rests on the authority's enrolment and on each person keeping their key to themselves.",
    afterCheckpoint:
      'Events after the checkpoint: anything recorded after the checkpoint of size {size} is not covered.',
    afterCheckpointOrLast:
      'Events after the checkpoint: anything recorded after entry {last} (the last event shown) or after the checkpoint of size {size} is not covered.',
    afterLast:
      'Events after entry {last}: anything recorded after the last event shown, or after this verification, is not covered.',
    physical:
      'Physical custody outside the record: where the evidence physically was, and who could reach it, between entries.',
  },
  fr: {
    peerHistory:
      'L’historique de la pièce à conviction dans le registre « {from} » : cet enregistrement montre ce qui en est parvenu ({entries}), chaque élément étant attesté par le récépissé de ce registre selon la tlog-policy que l’autorité de « {origin} » a consignée pour ce registre, et signé par des clés de ce registre ; que ces clés y aient été inscrites, ainsi que tout événement survenu là-bas avant ou entre ces éléments, il appartient à ce registre de le montrer : vérifiez également un dossier provenant de « {from} ».',
    beforeRegistration:
      'Ce qui s’est passé avant l’enregistrement[ (entrée {seq}, {time})] : la saisie elle-même, et toute manipulation de l’élément de preuve avant son enregistrement, ne figurent pas dans le registre.',
    truth:
      'La véracité du contenu des entrées : descriptions, libellés, motifs, numéros de scellés, lieux, notes et références de base légale sont des déclarations de la personne qui les a signées ; l’enregistrement prouve qui a fait chaque déclaration, non qu’elle soit vraie ni que la base légale soit valable.',
    times:
      'Les heures : chaque heure est celle qui a été déclarée lors de la rédaction de l’entrée (horloge du signataire ou du registre) ; l’enregistrement prouve l’ordre des entrées, non qu’une quelconque horloge ait été exacte.',
    people:
      'Que les personnes derrière les clés soient celles que désignent les entrées : l’enregistrement prouve quelle clé a signé chaque entrée ; qu’une clé appartienne à une personne nommée repose sur l’inscription par l’autorité et sur le fait que chacun garde sa clé pour soi.',
    afterCheckpoint:
      'Les événements postérieurs au point de contrôle : rien de ce qui a été consigné après le point de contrôle de taille {size} n’est couvert.',
    afterCheckpointOrLast:
      'Les événements postérieurs au point de contrôle : rien de ce qui a été consigné après l’entrée {last} (le dernier événement présenté) ou après le point de contrôle de taille {size} n’est couvert.',
    afterLast:
      'Les événements postérieurs à l’entrée {last} : rien de ce qui a été consigné après le dernier événement présenté, ou après cette vérification, n’est couvert.',
    physical:
      'La garde matérielle hors de l’enregistrement : où se trouvait matériellement l’élément de preuve, et qui pouvait y accéder, entre les entrées.',
  },
  de: {
    peerHistory:
      'Die Historie des Beweisstücks im Register „{from}“: Diese Aufzeichnung zeigt, was von dort herübergekommen ist ({entries}), jeweils verbürgt durch die Empfangsbestätigung jenes Registers gemäß der tlog-policy, die die Behörde von „{origin}“ dafür aufgezeichnet hat, und signiert mit Schlüsseln jenes Registers; dass diese Schlüssel dort eingetragen waren, und jedes Ereignis dort vor oder zwischen ihnen, kann nur jenes Register nachweisen: Prüfen Sie auch ein Paket aus „{from}“.',
    beforeRegistration:
      'Was vor der Registrierung geschah[ (Eintrag {seq}, {time})]: Die Sicherstellung selbst und jeder Umgang mit dem Beweismittel vor seiner Registrierung liegen außerhalb der Aufzeichnung.',
    truth:
      'Die Wahrheit dessen, was die Einträge besagen: Beschreibungen, Bezeichnungen, Gründe, Siegelnummern, Orte, Vermerke und Angaben zur Rechtsgrundlage sind Erklärungen der Person, die sie signiert hat; die Aufzeichnung beweist, wer jede Erklärung abgegeben hat, nicht dass sie wahr oder die Rechtsgrundlage gültig ist.',
    times:
      'Die Zeitangaben: Jede Zeit ist die beim Schreiben des Eintrags angegebene Zeit (die Uhr des Unterzeichners oder des Registers); die Aufzeichnung beweist die Reihenfolge der Einträge, nicht dass irgendeine Uhr richtig ging.',
    people:
      'Dass die Personen hinter den Schlüsseln diejenigen sind, die die Einträge nennen: Die Aufzeichnung beweist, welcher Schlüssel jeden Eintrag signiert hat; dass ein Schlüssel einer namentlich genannten Person gehört, beruht auf der Eintragung durch die Behörde und darauf, dass jede Person ihren Schlüssel für sich behält.',
    afterCheckpoint:
      'Ereignisse nach dem Prüfpunkt: Was nach dem Prüfpunkt der Größe {size} aufgezeichnet wurde, ist von dieser Prüfung nicht erfasst.',
    afterCheckpointOrLast:
      'Ereignisse nach dem Prüfpunkt: Was nach Eintrag {last} (dem letzten gezeigten Ereignis) oder nach dem Prüfpunkt der Größe {size} aufgezeichnet wurde, ist von dieser Prüfung nicht erfasst.',
    afterLast:
      'Ereignisse nach Eintrag {last}: Was nach dem letzten gezeigten Ereignis oder nach dieser Prüfung aufgezeichnet wurde, ist von dieser Prüfung nicht erfasst.',
    physical:
      'Physischer Gewahrsam außerhalb der Aufzeichnung: wo sich das Beweismittel zwischen den Einträgen physisch befand und wer Zugang zu ihm hatte.',
  },
  nl: {
    peerHistory:
      'De geschiedenis van het stuk van overtuiging in het register "{from}": deze vastlegging toont wat daarvandaan is overgekomen ({entries}), telkens gewaarborgd door het ontvangstbewijs van dat register onder de tlog-policy die de autoriteit van "{origin}" daarvoor heeft vastgelegd, en ondertekend met sleutels van dat register; dat die sleutels daar waren ingeschreven, en elke gebeurtenis daar vóór of tussen deze vermeldingen, moet dat register aantonen: controleer ook een pakket uit "{from}".',
    beforeRegistration:
      'Wat er vóór de registratie is gebeurd[ (vermelding {seq}, {time})]: de inbeslagneming zelf, en elke behandeling van het bewijsmateriaal voordat het werd geregistreerd, vallen buiten de vastlegging.',
    truth:
      'De waarheid van wat de vermeldingen zeggen: beschrijvingen, labels, redenen, zegelnummers, plaatsen, notities en verwijzingen naar de rechtsgrondslag zijn verklaringen van degene die ze heeft ondertekend; de vastlegging bewijst wie elke verklaring heeft afgelegd, niet dat zij waar is of dat de rechtsgrondslag geldig is.',
    times:
      'De tijdstippen: elk tijdstip is het tijdstip dat bij het schrijven van de vermelding werd opgegeven (de klok van de ondertekenaar of van het register); de vastlegging bewijst de volgorde van de vermeldingen, niet dat enige klok juist liep.',
    people:
      'Dat de personen achter de sleutels zijn wie de vermeldingen zeggen: de vastlegging bewijst welke sleutel elke vermelding heeft ondertekend; dat een sleutel toebehoort aan een genoemde persoon berust op de inschrijving door de autoriteit en erop dat ieder zijn sleutel voor zichzelf houdt.',
    afterCheckpoint:
      'Gebeurtenissen na het controlepunt: niets wat na het controlepunt van grootte {size} is vastgelegd, wordt gedekt.',
    afterCheckpointOrLast:
      'Gebeurtenissen na het controlepunt: niets wat na vermelding {last} (de laatste getoonde gebeurtenis) of na het controlepunt van grootte {size} is vastgelegd, wordt gedekt.',
    afterLast:
      'Gebeurtenissen na vermelding {last}: niets wat na de laatste getoonde gebeurtenis, of na deze controle, is vastgelegd, wordt gedekt.',
    physical:
      'Fysieke bewaring buiten de vastlegging: waar het bewijsmateriaal zich tussen de vermeldingen fysiek bevond, en wie erbij kon.',
  },
});
