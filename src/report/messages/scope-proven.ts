/**
 * What the verification proves (src/report/model-scope.ts, `Scope.proven`). Each statement is
 * made only when the checks it rests on passed, so a translation must never say more than the
 * English: the same claim, the same limits. Quoted labels come from the record, as written.
 */
import { messages } from '../i18n.js';

export const SCOPE_PROVEN = messages({
  en: {
    authenticity_one:
      'Authenticity of the record: each of the {n} entry shown carries a valid Ed25519 signature by the key of the actor it names, each is proven (RFC 9162 inclusion proof) to sit at its position in the log the signed checkpoint commits to, the exhibit\'s events link one to the next, the events obey the custody rules, and the ledger "{origin}" chains back to the trusted authority key {key}.',
    authenticity_other:
      'Authenticity of the record: each of the {n} entries shown carries a valid Ed25519 signature by the key of the actor it names, each is proven (RFC 9162 inclusion proof) to sit at its position in the log the signed checkpoint commits to, the exhibit\'s events link one to the next, the events obey the custody rules, and the ledger "{origin}" chains back to the trusted authority key {key}.',
    registration:
      'Registration: exhibit "{label}" ({id}) was registered at entry {seq}, with the recorded time {time}, by the key enrolled for {by}[, with {alg} {hex}].',
    registrationCarried:
      'Registration: exhibit "{label}" ({id}) was registered in the ledger "{from}", with the recorded time {time}, by the key {by}[, with {alg} {hex}]; the registration came with the hand-over at entry {seq}, and its identity is the exhibit id.',
    sinceRegistration: 'registration (entry {seq})',
    sinceArrival: 'its arrival from the ledger "{from}" (entry {seq})',
    fileIdentity:
      'Identity of the file: the {alg} of the file "{name}" ({size}) is {hex}, which equals the digest registered on {time} (entry {seq}) by {by}.',
    continuityNever:
      'Continuity of custody within the record: custody was continuous from {since} to entry {last}; the exhibit was never handed over.',
    continuity:
      'Continuity of custody within the record: custody was continuous from {since} to entry {last}: every hand-over was accepted by the receiver named in it ({accepted} of {total})[; the last hand-over (entry {pending}) is still awaiting acceptance at the end of the record].',
    continuityReturned_one:
      'Continuity of custody within the record: custody was continuous from {since} to entry {last}: every hand-over was accepted by the receiver named in it ({accepted} of {total}), except {n} that was rejected or cancelled, returning custody to the sender[; the last hand-over (entry {pending}) is still awaiting acceptance at the end of the record].',
    continuityReturned_other:
      'Continuity of custody within the record: custody was continuous from {since} to entry {last}: every hand-over was accepted by the receiver named in it ({accepted} of {total}), except {n} that were rejected or cancelled, returning custody to the sender[; the last hand-over (entry {pending}) is still awaiting acceptance at the end of the record].',
    integrity:
      'Integrity at hand-over: {rehashed} of {accepted} receivers re-computed the digest on receipt and it matched the registered one[ ({matchedAt})][; at {notAt} no digest was re-computed]. No seal was recorded as broken.',
    // A list of entry numbers with its noun; English says "entries" even before one number.
    entryList_one: 'entries {list}',
    entryList_other: 'entries {list}',
    completeness:
      'Completeness: the history of this exhibit is complete from {since} to entry {last}, and these entries are included in the checkpoint of size {size} (root {root}) signed by the {signer}.',
    witnesses_one:
      'Independent confirmation: {n} witness ({names}) cosigned this checkpoint, meeting the required quorum of {quorum}: they were shown this history, not a different one.',
    witnesses_other:
      'Independent confirmation: {n} witnesses ({names}) cosigned this checkpoint, meeting the required quorum of {quorum}: they were shown this history, not a different one.',
    auditors_one:
      'Replayed by an auditor: {names} cosigned this checkpoint as an auditor, stating that they replayed the log up to it and that every statement obeys the custody rules and every state root is correct.',
    auditors_other:
      'Replayed by an auditor: {names} cosigned this checkpoint as auditors, stating that they replayed the log up to it and that every statement obeys the custody rules and every state root is correct.',
    completenessCopy:
      'Completeness within this copy: in the ledger copy verified, the history of this exhibit is complete from {since} to entry {last}.',
    noLaterEvent:
      'No later event: the state map committed in the checkpointed log names entry {last} as the last event of this exhibit among the first {size} entries of the log.',
    lineage:
      'Lineage: this exhibit is recorded as derived from {chain}; the derivation was registered by {by} at entry {seq}.',
    ancestor: '"{label}" ({id}, registered at entry {seq})',
    // Joins the ancestors of a chain, nearest first: "A, derived in turn from B".
    derivedInTurn: ', derived in turn from ',
  },
  fr: {
    authenticity_one:
      'Authenticité de l’enregistrement : {n} entrée est présentée ; elle porte une signature Ed25519 valide faite avec la clé de l’intervenant qu’elle désigne, il est prouvé (preuve d’inclusion RFC 9162) qu’elle occupe sa position dans le journal sur lequel porte l’engagement du point de contrôle signé, les événements de la pièce à conviction sont liés chacun au suivant, ils respectent les règles de garde, et le registre « {origin} » se rattache à la clé de confiance de l’autorité {key}.',
    authenticity_other:
      'Authenticité de l’enregistrement : {n} entrées sont présentées ; chacune porte une signature Ed25519 valide faite avec la clé de l’intervenant qu’elle désigne, pour chacune il est prouvé (preuve d’inclusion RFC 9162) qu’elle occupe sa position dans le journal sur lequel porte l’engagement du point de contrôle signé, les événements de la pièce à conviction sont liés chacun au suivant, ils respectent les règles de garde, et le registre « {origin} » se rattache à la clé de confiance de l’autorité {key}.',
    registration:
      'Enregistrement : la pièce à conviction « {label} » ({id}) a été enregistrée à l’entrée {seq}, avec l’heure consignée {time}, par la clé inscrite au nom de {by}[, avec {alg} {hex}].',
    registrationCarried:
      'Enregistrement : la pièce à conviction « {label} » ({id}) a été enregistrée dans le registre « {from} », avec l’heure consignée {time}, par la clé {by}[, avec {alg} {hex}] ; l’enregistrement est parvenu avec la remise de l’entrée {seq}, et son identité est l’identifiant de la pièce à conviction.',
    sinceRegistration: 'l’enregistrement (entrée {seq})',
    sinceArrival: 'son arrivée en provenance du registre « {from} » (entrée {seq})',
    fileIdentity:
      'Identité du fichier : l’empreinte {alg} du fichier « {name} » ({size}) est {hex}, identique à l’empreinte enregistrée le {time} (entrée {seq}) par {by}.',
    continuityNever:
      'Continuité de la garde au sein de l’enregistrement : la garde a été continue depuis {since} jusqu’à l’entrée {last} ; la pièce à conviction n’a jamais été remise.',
    continuity:
      'Continuité de la garde au sein de l’enregistrement : la garde a été continue depuis {since} jusqu’à l’entrée {last} : chaque remise a été acceptée par le destinataire qu’elle désigne ({accepted} sur {total})[ ; la dernière remise (entrée {pending}) est encore en attente d’acceptation à la fin de l’enregistrement].',
    continuityReturned_one:
      'Continuité de la garde au sein de l’enregistrement : la garde a été continue depuis {since} jusqu’à l’entrée {last} : chaque remise a été acceptée par le destinataire qu’elle désigne ({accepted} sur {total}), à l’exception de {n} remise refusée ou annulée, la garde revenant alors à l’expéditeur[ ; la dernière remise (entrée {pending}) est encore en attente d’acceptation à la fin de l’enregistrement].',
    continuityReturned_other:
      'Continuité de la garde au sein de l’enregistrement : la garde a été continue depuis {since} jusqu’à l’entrée {last} : chaque remise a été acceptée par le destinataire qu’elle désigne ({accepted} sur {total}), à l’exception de {n} remises refusées ou annulées, la garde revenant alors à l’expéditeur[ ; la dernière remise (entrée {pending}) est encore en attente d’acceptation à la fin de l’enregistrement].',
    integrity:
      'Intégrité lors des remises : destinataires ayant recalculé l’empreinte à réception et l’ayant trouvée identique à l’empreinte enregistrée : {rehashed} sur {accepted}[ ({matchedAt})][ ; aucune empreinte n’a été recalculée ({notAt})]. Aucun scellé n’a été consigné comme rompu.',
    entryList_one: 'entrée {list}',
    entryList_other: 'entrées {list}',
    completeness:
      'Complétude : l’historique de cette pièce à conviction est complet depuis {since} jusqu’à l’entrée {last}, et ces entrées sont incluses dans le point de contrôle de taille {size} (racine {root}) signé par {signer}.',
    witnesses_one:
      'Confirmation indépendante : {n} témoin ({names}) a cosigné ce point de contrôle, ce qui atteint le quorum requis de {quorum} : c’est cet historique qui lui a été présenté, et non un autre.',
    witnesses_other:
      'Confirmation indépendante : {n} témoins ({names}) ont cosigné ce point de contrôle, ce qui atteint le quorum requis de {quorum} : c’est cet historique qui leur a été présenté, et non un autre.',
    auditors_one:
      'Rejoué par un auditeur : {names} a cosigné ce point de contrôle en qualité d’auditeur, affirmant par là qu’il a rejoué le journal jusqu’à ce point, que chaque déclaration signée respecte les règles de garde et que chaque racine d’état est correcte.',
    auditors_other:
      'Rejoué par des auditeurs : {names} ont cosigné ce point de contrôle en qualité d’auditeurs, affirmant par là qu’ils ont rejoué le journal jusqu’à ce point, que chaque déclaration signée respecte les règles de garde et que chaque racine d’état est correcte.',
    completenessCopy:
      'Complétude au sein de cette copie : dans la copie du registre vérifiée, l’historique de cette pièce à conviction est complet depuis {since} jusqu’à l’entrée {last}.',
    noLaterEvent:
      'Aucun événement ultérieur : la table d’état fixée dans le journal couvert par le point de contrôle désigne l’entrée {last} comme le dernier événement de cette pièce à conviction parmi les {size} premières entrées du journal.',
    lineage:
      'Filiation : cette pièce à conviction est consignée comme dérivée de {chain} ; la dérivation a été enregistrée par {by} à l’entrée {seq}.',
    ancestor: '« {label} » ({id}, enregistrée à l’entrée {seq})',
    derivedInTurn: ', elle-même dérivée de ',
  },
  de: {
    authenticity_one:
      'Echtheit der Aufzeichnung: {n} Eintrag wird gezeigt; er trägt eine gültige, mit dem Schlüssel des darin genannten Beteiligten erstellte Ed25519-Signatur, es ist bewiesen (RFC-9162-Inklusionsbeweis), dass er an seiner Position in dem Protokoll steht, auf das sich der signierte Prüfpunkt festlegt, die Ereignisse des Beweisstücks sind jeweils mit dem nächsten verknüpft, sie entsprechen den Gewahrsamsregeln, und das Register „{origin}“ führt zurück auf den vertrauenswürdigen Schlüssel der Behörde {key}.',
    authenticity_other:
      'Echtheit der Aufzeichnung: {n} Einträge werden gezeigt; jeder trägt eine gültige, mit dem Schlüssel des darin genannten Beteiligten erstellte Ed25519-Signatur, für jeden ist bewiesen (RFC-9162-Inklusionsbeweis), dass er an seiner Position in dem Protokoll steht, auf das sich der signierte Prüfpunkt festlegt, die Ereignisse des Beweisstücks sind jeweils mit dem nächsten verknüpft, sie entsprechen den Gewahrsamsregeln, und das Register „{origin}“ führt zurück auf den vertrauenswürdigen Schlüssel der Behörde {key}.',
    registration:
      'Registrierung: Das Beweisstück „{label}“ ({id}) wurde in Eintrag {seq} registriert, mit der aufgezeichneten Zeit {time}, durch den für {by} eingetragenen Schlüssel[, mit {alg} {hex}].',
    registrationCarried:
      'Registrierung: Das Beweisstück „{label}“ ({id}) wurde im Register „{from}“ registriert, mit der aufgezeichneten Zeit {time}, durch den Schlüssel {by}[, mit {alg} {hex}]; die Registrierung wurde mit der Übergabe in Eintrag {seq} übernommen und ist durch die Kennung des Beweisstücks identifiziert.',
    sinceRegistration: 'der Registrierung (Eintrag {seq})',
    sinceArrival: 'seiner Ankunft aus dem Register „{from}“ (Eintrag {seq})',
    fileIdentity:
      'Identität der Datei: Der {alg}-Hashwert der Datei „{name}“ ({size}) ist {hex} und stimmt mit dem am {time} (Eintrag {seq}) von {by} registrierten Hashwert überein.',
    continuityNever:
      'Kontinuität des Gewahrsams innerhalb der Aufzeichnung: Der Gewahrsam war von {since} bis Eintrag {last} ununterbrochen; das Beweisstück wurde nie übergeben.',
    continuity:
      'Kontinuität des Gewahrsams innerhalb der Aufzeichnung: Der Gewahrsam war von {since} bis Eintrag {last} ununterbrochen: Jede Übergabe wurde von dem darin genannten Empfänger angenommen ({accepted} von {total})[; die letzte Übergabe (Eintrag {pending}) wartet am Ende der Aufzeichnung noch auf Annahme].',
    continuityReturned_one:
      'Kontinuität des Gewahrsams innerhalb der Aufzeichnung: Der Gewahrsam war von {since} bis Eintrag {last} ununterbrochen: Jede Übergabe wurde von dem darin genannten Empfänger angenommen ({accepted} von {total}), ausgenommen {n} Übergabe, die abgelehnt oder zurückgenommen wurde, wodurch der Gewahrsam an den Absender zurückging[; die letzte Übergabe (Eintrag {pending}) wartet am Ende der Aufzeichnung noch auf Annahme].',
    continuityReturned_other:
      'Kontinuität des Gewahrsams innerhalb der Aufzeichnung: Der Gewahrsam war von {since} bis Eintrag {last} ununterbrochen: Jede Übergabe wurde von dem darin genannten Empfänger angenommen ({accepted} von {total}), ausgenommen {n} Übergaben, die abgelehnt oder zurückgenommen wurden, wodurch der Gewahrsam jeweils an den Absender zurückging[; die letzte Übergabe (Eintrag {pending}) wartet am Ende der Aufzeichnung noch auf Annahme].',
    integrity:
      'Unversehrtheit bei der Übergabe: Empfänger, die den Hashwert bei Erhalt neu berechnet und mit dem registrierten übereinstimmend gefunden haben: {rehashed} von {accepted}[ ({matchedAt})][; kein Hashwert neu berechnet ({notAt})]. Kein Siegel wurde als gebrochen aufgezeichnet.',
    entryList_one: 'Eintrag {list}',
    entryList_other: 'Einträge {list}',
    completeness:
      'Vollständigkeit: Die Historie dieses Beweisstücks ist von {since} bis Eintrag {last} vollständig, und diese Einträge sind in dem Prüfpunkt der Größe {size} (Wurzel {root}) enthalten, der von {signer} signiert ist.',
    witnesses_one:
      'Unabhängige Bestätigung: {n} Zeuge ({names}) hat diesen Prüfpunkt mitsigniert und damit das erforderliche Quorum von {quorum} erreicht: Ihm wurde diese Historie vorgelegt, keine andere.',
    witnesses_other:
      'Unabhängige Bestätigung: {n} Zeugen ({names}) haben diesen Prüfpunkt mitsigniert und damit das erforderliche Quorum von {quorum} erreicht: Ihnen wurde diese Historie vorgelegt, keine andere.',
    auditors_one:
      'Erneut durchlaufen durch einen Prüfer: {names} hat diesen Prüfpunkt als Prüfer mitsigniert und damit erklärt, das Protokoll bis zu ihm erneut durchlaufen zu haben und dass jede signierte Erklärung den Gewahrsamsregeln entspricht und jede Zustandswurzel korrekt ist.',
    auditors_other:
      'Erneut durchlaufen durch Prüfer: {names} haben diesen Prüfpunkt als Prüfer mitsigniert und damit erklärt, das Protokoll bis zu ihm erneut durchlaufen zu haben und dass jede signierte Erklärung den Gewahrsamsregeln entspricht und jede Zustandswurzel korrekt ist.',
    completenessCopy:
      'Vollständigkeit innerhalb dieser Kopie: In der geprüften Kopie des Registers ist die Historie dieses Beweisstücks von {since} bis Eintrag {last} vollständig.',
    noLaterEvent:
      'Kein späteres Ereignis: Die Zustandskarte, die in dem vom Prüfpunkt erfassten Protokoll festgeschrieben ist, nennt Eintrag {last} als letztes Ereignis dieses Beweisstücks unter den ersten {size} Einträgen des Protokolls.',
    lineage:
      'Herkunft: Dieses Beweisstück ist als abgeleitet von {chain} aufgezeichnet; die Ableitung wurde von {by} in Eintrag {seq} registriert.',
    ancestor: '„{label}“ ({id}, registriert in Eintrag {seq})',
    derivedInTurn: ', seinerseits abgeleitet von ',
  },
  nl: {
    authenticity_one:
      'Authenticiteit van de vastlegging: er wordt {n} vermelding getoond; zij draagt een geldige Ed25519-handtekening, gezet met de sleutel van de betrokkene die zij noemt, het is bewezen (RFC 9162-inclusiebewijs) dat zij op haar positie staat in het logboek waaraan het ondertekende controlepunt zich bindt, de gebeurtenissen van het stuk van overtuiging zijn elk met de volgende verbonden, zij voldoen aan de regels van de bewaarketen, en het register "{origin}" voert terug op de vertrouwde sleutel van de autoriteit {key}.',
    authenticity_other:
      'Authenticiteit van de vastlegging: er worden {n} vermeldingen getoond; elk draagt een geldige Ed25519-handtekening, gezet met de sleutel van de betrokkene die zij noemt, van elk is bewezen (RFC 9162-inclusiebewijs) dat zij op haar positie staat in het logboek waaraan het ondertekende controlepunt zich bindt, de gebeurtenissen van het stuk van overtuiging zijn elk met de volgende verbonden, zij voldoen aan de regels van de bewaarketen, en het register "{origin}" voert terug op de vertrouwde sleutel van de autoriteit {key}.',
    registration:
      'Registratie: het stuk van overtuiging "{label}" ({id}) is geregistreerd in vermelding {seq}, met het vastgelegde tijdstip {time}, door de sleutel die voor {by} is ingeschreven[, met {alg} {hex}].',
    registrationCarried:
      'Registratie: het stuk van overtuiging "{label}" ({id}) is geregistreerd in het register "{from}", met het vastgelegde tijdstip {time}, door de sleutel {by}[, met {alg} {hex}]; de registratie kwam mee met de overdracht in vermelding {seq}, en haar identiteit is het kenmerk van het stuk van overtuiging.',
    sinceRegistration: 'de registratie (vermelding {seq})',
    sinceArrival: 'zijn aankomst uit het register "{from}" (vermelding {seq})',
    fileIdentity:
      'Identiteit van het bestand: de {alg}-hashwaarde van het bestand "{name}" ({size}) is {hex}, gelijk aan de hashwaarde die op {time} (vermelding {seq}) door {by} is geregistreerd.',
    continuityNever:
      'Continuïteit van de bewaring binnen de vastlegging: de bewaring was ononderbroken vanaf {since} tot en met vermelding {last}; het stuk van overtuiging is nooit overgedragen.',
    continuity:
      'Continuïteit van de bewaring binnen de vastlegging: de bewaring was ononderbroken vanaf {since} tot en met vermelding {last}: elke overdracht is aanvaard door de daarin genoemde ontvanger ({accepted} van {total})[; de laatste overdracht (vermelding {pending}) wacht aan het einde van de vastlegging nog op aanvaarding].',
    continuityReturned_one:
      'Continuïteit van de bewaring binnen de vastlegging: de bewaring was ononderbroken vanaf {since} tot en met vermelding {last}: elke overdracht is aanvaard door de daarin genoemde ontvanger ({accepted} van {total}), behalve {n} die is geweigerd of geannuleerd, waarmee de bewaring terugging naar de afzender[; de laatste overdracht (vermelding {pending}) wacht aan het einde van de vastlegging nog op aanvaarding].',
    continuityReturned_other:
      'Continuïteit van de bewaring binnen de vastlegging: de bewaring was ononderbroken vanaf {since} tot en met vermelding {last}: elke overdracht is aanvaard door de daarin genoemde ontvanger ({accepted} van {total}), behalve {n} die zijn geweigerd of geannuleerd, waarmee de bewaring telkens terugging naar de afzender[; de laatste overdracht (vermelding {pending}) wacht aan het einde van de vastlegging nog op aanvaarding].',
    integrity:
      'Integriteit bij overdracht: ontvangers die de hashwaarde bij ontvangst opnieuw hebben berekend en gelijk aan de geregistreerde hebben bevonden: {rehashed} van {accepted}[ ({matchedAt})][; geen hashwaarde opnieuw berekend ({notAt})]. Er is geen zegel als verbroken vastgelegd.',
    entryList_one: 'vermelding {list}',
    entryList_other: 'vermeldingen {list}',
    completeness:
      'Volledigheid: de geschiedenis van dit stuk van overtuiging is volledig vanaf {since} tot en met vermelding {last}, en deze vermeldingen zijn opgenomen in het controlepunt van grootte {size} (wortel {root}) dat is ondertekend door {signer}.',
    witnesses_one:
      'Onafhankelijke bevestiging: {n} getuige ({names}) heeft dit controlepunt medeondertekend, waarmee het vereiste quorum van {quorum} is bereikt: aan deze getuige is deze geschiedenis getoond, geen andere.',
    witnesses_other:
      'Onafhankelijke bevestiging: {n} getuigen ({names}) hebben dit controlepunt medeondertekend, waarmee het vereiste quorum van {quorum} is bereikt: aan hen is deze geschiedenis getoond, geen andere.',
    auditors_one:
      'Opnieuw doorlopen door een auditor: {names} heeft dit controlepunt als auditor medeondertekend en daarmee verklaard het logboek tot aan dit punt opnieuw te hebben doorlopen, en dat elke ondertekende verklaring aan de regels van de bewaarketen voldoet en elke toestandswortel juist is.',
    auditors_other:
      'Opnieuw doorlopen door auditors: {names} hebben dit controlepunt als auditors medeondertekend en daarmee verklaard het logboek tot aan dit punt opnieuw te hebben doorlopen, en dat elke ondertekende verklaring aan de regels van de bewaarketen voldoet en elke toestandswortel juist is.',
    completenessCopy:
      'Volledigheid binnen deze kopie: in de gecontroleerde kopie van het register is de geschiedenis van dit stuk van overtuiging volledig vanaf {since} tot en met vermelding {last}.',
    noLaterEvent:
      'Geen latere gebeurtenis: de toestandskaart die is vastgelegd in het door het controlepunt gedekte logboek noemt vermelding {last} als de laatste gebeurtenis van dit stuk van overtuiging onder de eerste {size} vermeldingen van het logboek.',
    lineage:
      'Herkomst: dit stuk van overtuiging is vastgelegd als afgeleid van {chain}; de afleiding is door {by} geregistreerd in vermelding {seq}.',
    ancestor: '"{label}" ({id}, geregistreerd in vermelding {seq})',
    derivedInTurn: ', dat zelf is afgeleid van ',
  },
});
