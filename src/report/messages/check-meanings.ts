/**
 * What each check means in plain words, in the report's language (src/report/model-areas.ts
 * maps check ids, older ones included, to these keys).
 */
import { messages } from '../i18n.js';

export const CHECK_MEANINGS = messages({
  en: {
    records:
      'Every record is in the one canonical encoding and well-formed, so each signature covers exactly one meaning.',
    signers: 'Every signer was enrolled by the authority, and was not revoked, when it signed.',
    'exhibit-links':
      "Every event of the exhibit (and of the exhibits it derives from) names the exhibit's previous event by its hash, from registration to the last event shown: none is missing.",
    openings:
      'Every name and free text shown opens the salted commitment that was signed, so it is the text the signer wrote; a field shown as withheld was not disclosed in this bundle.',
    'history-complete':
      "The ledger's state at the checkpoint, proven against the map root in the checkpoint's last entry, names the last event shown as the exhibit's last event: nothing was left out at the end.",
    'file-digests': 'The file you supplied has exactly the size and digests registered for the exhibit.',
    'bundle-structure':
      'The bundle file is complete and well-formed: every record is in the one canonical encoding, nothing is missing and nothing is left over.',
    anchor: 'The ledger was founded by (or handed over to) an authority key that you supplied as trusted.',
    signatures:
      'Every entry carries a valid Ed25519 signature by the key of the person or office it names, so no entry was altered after it was signed.',
    'hash-chain':
      'Every entry names the entry before it by its hash, so no entry was removed, inserted or reordered.',
    'exhibit-chain':
      "Every event of the exhibit names the exhibit's previous event by its hash, so none of its events is missing.",
    'custody-rules':
      'Replayed in order, every event was allowed: only the holder handed the exhibit over, only the named receiver accepted it, hand-overs across borders name a legal basis, revoked keys signed nothing.',
    'checkpoint-signature':
      "The checkpoint (the log's signed statement of its size and Merkle root) is signed by the log's key.",
    'inclusion-proofs':
      "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
    'witness-quorum':
      'Enough independent witnesses cosigned the checkpoint, confirming that they were shown this same history and no conflicting one.',
    'recorded-integrity':
      'No receiver or examiner recorded a digest different from the registered one, and no seal was recorded as broken.',
    'file-digest': 'The file you supplied has exactly the digests registered for the exhibit.',
  },
  fr: {
    records:
      'Chaque enregistrement est bien formé et suit l’unique codage canonique ; chaque signature porte donc sur un seul sens.',
    signers: 'Chaque signataire était inscrit par l’autorité, et non révoqué, au moment où il a signé.',
    'exhibit-links':
      'Chaque événement de la pièce à conviction (et des pièces dont elle est dérivée) désigne par son empreinte l’événement précédent de la pièce, de l’enregistrement jusqu’au dernier événement présenté : aucun ne manque.',
    openings:
      'Chaque nom et chaque texte libre affiché ouvre l’engagement cryptographique salé qui a été signé ; c’est donc le texte écrit par le signataire. Un champ marqué « withheld » (non divulgué) n’a pas été divulgué dans ce dossier.',
    'history-complete':
      'L’état du registre au point de contrôle, prouvé par rapport à la racine de la table d’état figurant dans la dernière entrée du point de contrôle, désigne le dernier événement présenté comme le dernier événement de la pièce à conviction : rien n’a été omis à la fin.',
    'file-digests':
      'Le fichier que vous avez fourni a exactement la taille et les empreintes enregistrées pour la pièce à conviction.',
    'bundle-structure':
      'Le fichier du dossier est complet et bien formé : chaque enregistrement suit l’unique codage canonique, rien ne manque et rien n’est en trop.',
    anchor:
      'Le registre a été fondé par une clé de l’autorité (ou transmis à une telle clé) que vous avez fournie comme digne de confiance.',
    signatures:
      'Chaque entrée porte une signature Ed25519 valide, faite avec la clé de la personne ou du service qu’elle désigne ; aucune entrée n’a donc été modifiée après sa signature.',
    'hash-chain':
      'Chaque entrée désigne par son empreinte l’entrée qui la précède ; aucune entrée n’a donc été supprimée, insérée ou déplacée.',
    'exhibit-chain':
      'Chaque événement de la pièce à conviction désigne par son empreinte l’événement précédent de la pièce ; aucun de ses événements ne manque donc.',
    'custody-rules':
      'Rejoué dans l’ordre, chaque événement était autorisé : seul le détenteur a remis la pièce à conviction, seul le destinataire désigné l’a acceptée, les remises transfrontalières indiquent une base légale, et aucune clé révoquée n’a rien signé.',
    'checkpoint-signature':
      'Le point de contrôle (la déclaration signée du journal indiquant sa taille et sa racine de Merkle) est signé par la clé du journal.',
    'inclusion-proofs':
      'Les entrées présentées font partie de l’arbre de Merkle du point de contrôle (preuves d’inclusion RFC 9162) : ce sont les entrées sur lesquelles le journal s’est engagé.',
    'witness-quorum':
      'Suffisamment de témoins indépendants ont cosigné le point de contrôle, confirmant qu’on leur a présenté ce même historique et aucun historique contradictoire.',
    'recorded-integrity':
      'Aucun destinataire ni examinateur n’a consigné une empreinte différente de celle enregistrée, et aucun scellé n’a été consigné comme rompu.',
    'file-digest':
      'Le fichier que vous avez fourni a exactement les empreintes enregistrées pour la pièce à conviction.',
  },
  de: {
    records:
      'Jeder Datensatz ist wohlgeformt und liegt in der einen kanonischen Kodierung vor, sodass jede Signatur genau eine Bedeutung abdeckt.',
    signers:
      'Jeder Unterzeichner war zum Zeitpunkt seiner Signatur von der Behörde eingetragen und nicht widerrufen.',
    'exhibit-links':
      'Jedes Ereignis des Beweisstücks (und der Beweisstücke, von denen es abgeleitet ist) nennt das vorherige Ereignis des Beweisstücks mit dessen Hashwert, von der Registrierung bis zum letzten gezeigten Ereignis: Keines fehlt.',
    openings:
      'Jeder gezeigte Name und jeder freie Text öffnet die gesalzene kryptographische Festlegung (Commitment), die signiert wurde, und ist daher der Text, den der Unterzeichner geschrieben hat; ein als zurückgehalten gezeigtes Feld wurde in diesem Paket nicht offengelegt.',
    'history-complete':
      'Der Zustand des Registers am Prüfpunkt, nachgewiesen gegen die Wurzel der Zustandskarte im letzten Eintrag des Prüfpunkts, nennt das letzte gezeigte Ereignis als letztes Ereignis des Beweisstücks: Am Ende wurde nichts ausgelassen.',
    'file-digests':
      'Die von Ihnen angegebene Datei hat genau die für das Beweisstück registrierte Größe und die registrierten Hashwerte.',
    'bundle-structure':
      'Die Paketdatei ist vollständig und wohlgeformt: Jeder Datensatz liegt in der einen kanonischen Kodierung vor, nichts fehlt und nichts ist überzählig.',
    anchor:
      'Das Register wurde mit einem Schlüssel der Behörde eingerichtet (oder an einen solchen übergeben), den Sie als vertrauenswürdig angegeben haben.',
    signatures:
      'Jeder Eintrag trägt eine gültige Ed25519-Signatur mit dem Schlüssel der Person oder Dienststelle, die er nennt; daher wurde kein Eintrag nach seiner Signatur verändert.',
    'hash-chain':
      'Jeder Eintrag nennt den vorhergehenden Eintrag mit dessen Hashwert; daher wurde kein Eintrag entfernt, eingefügt oder umgeordnet.',
    'exhibit-chain':
      'Jedes Ereignis des Beweisstücks nennt das vorherige Ereignis des Beweisstücks mit dessen Hashwert; daher fehlt keines seiner Ereignisse.',
    'custody-rules':
      'In der Reihenfolge nachvollzogen war jedes Ereignis zulässig: Nur der Gewahrsamsinhaber hat das Beweisstück übergeben, nur der benannte Empfänger hat es angenommen, grenzüberschreitende Übergaben nennen eine Rechtsgrundlage, und widerrufene Schlüssel haben nichts signiert.',
    'checkpoint-signature':
      'Der Prüfpunkt (die signierte Erklärung des Protokolls über seine Größe und seine Merkle-Wurzel) ist mit dem Schlüssel des Protokolls signiert.',
    'inclusion-proofs':
      'Die gezeigten Einträge sind Teil des Merkle-Baums des Prüfpunkts (Inklusionsbeweise nach RFC 9162): Es sind die Einträge, auf die sich das Protokoll festgelegt hat.',
    'witness-quorum':
      'Genügend unabhängige Zeugen haben den Prüfpunkt mitsigniert und damit bestätigt, dass ihnen dieselbe Historie und keine widersprechende gezeigt wurde.',
    'recorded-integrity':
      'Kein Empfänger und kein Untersucher hat einen vom registrierten abweichenden Hashwert aufgezeichnet, und kein Siegel wurde als gebrochen aufgezeichnet.',
    'file-digest':
      'Die von Ihnen angegebene Datei hat genau die für das Beweisstück registrierten Hashwerte.',
  },
  nl: {
    records:
      'Elk gegevensrecord is welgevormd en staat in de ene canonieke codering, zodat elke handtekening precies één betekenis dekt.',
    signers:
      'Elke ondertekenaar was op het moment van ondertekenen door de autoriteit ingeschreven en niet ingetrokken.',
    'exhibit-links':
      'Elke gebeurtenis van het stuk van overtuiging (en van de stukken waarvan het is afgeleid) noemt de vorige gebeurtenis van het stuk bij haar hashwaarde, van de registratie tot de laatste getoonde gebeurtenis: er ontbreekt er geen.',
    openings:
      'Elke getoonde naam en vrije tekst opent de gezouten cryptografische toezegging (commitment) die is ondertekend, en is dus de tekst die de ondertekenaar schreef; een veld dat als achtergehouden wordt getoond, is in dit pakket niet vrijgegeven.',
    'history-complete':
      'De toestand van het register op het controlepunt, aangetoond aan de hand van de wortel van de toestandskaart in de laatste vermelding van het controlepunt, noemt de laatste getoonde gebeurtenis als de laatste gebeurtenis van het stuk van overtuiging: aan het einde is niets weggelaten.',
    'file-digests':
      'Het door u opgegeven bestand heeft precies de grootte en de hashwaarden die voor het stuk van overtuiging zijn geregistreerd.',
    'bundle-structure':
      'Het pakketbestand is volledig en welgevormd: elk gegevensrecord staat in de ene canonieke codering, er ontbreekt niets en er is niets te veel.',
    anchor:
      'Het register is opgericht door (of overgedragen aan) een sleutel van de autoriteit die u als vertrouwd hebt opgegeven.',
    signatures:
      'Elke vermelding draagt een geldige Ed25519-handtekening met de sleutel van de persoon of dienst die zij noemt, zodat geen vermelding na ondertekening is gewijzigd.',
    'hash-chain':
      'Elke vermelding noemt de voorgaande vermelding bij haar hashwaarde, zodat geen vermelding is verwijderd, ingevoegd of van volgorde veranderd.',
    'exhibit-chain':
      'Elke gebeurtenis van het stuk van overtuiging noemt de vorige gebeurtenis van het stuk bij haar hashwaarde, zodat geen van zijn gebeurtenissen ontbreekt.',
    'custody-rules':
      'Bij het opnieuw doorlopen in volgorde bleek elke gebeurtenis toegestaan: alleen de houder heeft het stuk van overtuiging overgedragen, alleen de aangewezen ontvanger heeft het aanvaard, grensoverschrijdende overdrachten noemen een rechtsgrondslag, en ingetrokken sleutels hebben niets ondertekend.',
    'checkpoint-signature':
      'Het controlepunt (de ondertekende verklaring van het logboek over zijn grootte en Merkle-wortel) is ondertekend met de sleutel van het logboek.',
    'inclusion-proofs':
      'De getoonde vermeldingen maken deel uit van de Merkle-boom van het controlepunt (inclusiebewijzen volgens RFC 9162): het zijn de vermeldingen waaraan het logboek zich heeft gebonden.',
    'witness-quorum':
      'Voldoende onafhankelijke getuigen hebben het controlepunt medeondertekend en daarmee bevestigd dat hun dezelfde geschiedenis is getoond en geen tegenstrijdige.',
    'recorded-integrity':
      'Geen ontvanger of onderzoeker heeft een hashwaarde vastgelegd die afwijkt van de geregistreerde, en geen zegel is als verbroken vastgelegd.',
    'file-digest':
      'Het door u opgegeven bestand heeft precies de hashwaarden die voor het stuk van overtuiging zijn geregistreerd.',
  },
});
