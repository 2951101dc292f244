/**
 * What each guarantee of a checkpoint rests on (src/report/model-guarantees.ts): the phrase a
 * report puts after "rests on", for content and order, signer identity and time. Algorithm, RFC
 * and FIPS names, key ids, TSA names and ISO times are data and stay as they are. Each phrase is
 * the object of "rests on" (German: dative, after "beruht auf").
 */
import { messages } from '../i18n.js';

export const GUARANTEES = messages({
  en: {
    content:
      'the SHA-256 Merkle tree (RFC 9162) of the first {size} entries, whose root the log signed with Ed25519[ and with ML-DSA-44 (FIPS 204, key {pq})]',
    contentAnchored:
      'the SHA-256 Merkle tree (RFC 9162) of the first {size} entries, whose root the log signed with Ed25519[ and with ML-DSA-44 (FIPS 204, key {pq})]; Ed25519 is distrusted from {from}, so this rests on the ML-DSA-44 signature of {by} made at {at}, before then',
    contentUnanchored:
      'the SHA-256 Merkle tree (RFC 9162) of the first {size} entries, whose root the log signed with Ed25519[ and with ML-DSA-44 (FIPS 204, key {pq})]; Ed25519 is distrusted from {from} and nothing post-quantum vouched for the checkpoint before then: NOT proven',
    identity:
      'the Ed25519 signatures of each statement and of the enrolments naming their keys, trusted as long as Ed25519 is (no sunset set)',
    identityAnchored:
      'the Ed25519 signatures of each statement, made before {from}: the tree fixed them under the ML-DSA-44 signature of {at}',
    identityUnanchored:
      'the Ed25519 signatures of each statement, which are no longer trusted (from {from}): NOT proven',
    // `{bounds}`: boundToken… and boundWitness…, joined by `boundsJoin`; `{itself}`: itself_….
    timeArchived:
      "archived time evidence: the exhibit's last event (entry {last}) existed {bounds}[; {itself}]",
    boundsJoin: ', and ',
    boundTokenQualified:
      "no later than {genTime}[ (±{accuracy} ms)] by the RFC 3161 token of {tsa} over the checkpoint of size {size} archived at entry {index} (a qualified time stamp: the relying party lists this TSA as qualified[; its own signature's algorithm is distrusted by now, and the ML-DSA-44 signature of {renewedBy} made at {renewedAt} vouches for it])",
    boundTokenUnqualified:
      "no later than {genTime}[ (±{accuracy} ms)] by the RFC 3161 token of {tsa} over the checkpoint of size {size} archived at entry {index} (the TSA's clock; not marked qualified by the relying party[; its own signature's algorithm is distrusted by now, and the ML-DSA-44 signature of {renewedBy} made at {renewedAt} vouches for it])",
    // `{n}`: how many witness timestamps; `{ord}`: the ordinal of the one that bounds the time.
    boundWitness_one:
      'no later than {time}, the {ord} earliest of {n} witness timestamps on the checkpoint of size {size} archived at entry {index}',
    boundWitness_other:
      'no later than {time}, the {ord} earliest of {n} witness timestamps on the checkpoint of size {size} archived at entry {index}',
    itself_one:
      'the checkpoint itself existed no later than {time} ({ord} earliest of {n} witness timestamps)',
    itself_other:
      'the checkpoint itself existed no later than {time} ({ord} earliest of {n} witness timestamps)',
    // `{holds}`: holds_… for the quorum k.
    timeBound_one:
      "the witnesses' clocks: the checkpoint existed no later than {time}, the {ord} earliest of {n} witness timestamps {holds}; the statements' own times are their signers' word",
    timeBound_other:
      "the witnesses' clocks: the checkpoint existed no later than {time}, the {ord} earliest of {n} witness timestamps {holds}; the statements' own times are their signers' word",
    holds_one: '(it holds if fewer than {n} witnesses lie about time)',
    holds_other: '(it holds if fewer than {n} witnesses lie about time)',
    timeCosigned:
      "the cosigners' clocks: cosigned at {at}; the statements' own times are their signers' word",
    timeNone: "only the log's own clock and the signers' word: no witness timestamp dates the checkpoint",
    // Ordinals by the language's ordinal plural category (Intl.PluralRules, type ordinal).
    ordinal_one: '{k}st',
    ordinal_two: '{k}nd',
    ordinal_few: '{k}rd',
    ordinal_other: '{k}th',
  },
  fr: {
    content:
      'l’arbre de Merkle SHA-256 (RFC 9162) des {size} premières entrées, dont le journal a signé la racine avec Ed25519[ et avec ML-DSA-44 (FIPS 204, clé {pq})]',
    contentAnchored:
      'l’arbre de Merkle SHA-256 (RFC 9162) des {size} premières entrées, dont le journal a signé la racine avec Ed25519[ et avec ML-DSA-44 (FIPS 204, clé {pq})] ; Ed25519 n’est plus tenu pour fiable à partir du {from}, de sorte que ceci repose sur la signature ML-DSA-44 de {by} faite le {at}, avant cette date',
    contentUnanchored:
      'l’arbre de Merkle SHA-256 (RFC 9162) des {size} premières entrées, dont le journal a signé la racine avec Ed25519[ et avec ML-DSA-44 (FIPS 204, clé {pq})] ; Ed25519 n’est plus tenu pour fiable à partir du {from} et rien de post-quantique n’a garanti le point de contrôle avant cette date : NON prouvé',
    identity:
      'les signatures Ed25519 de chaque déclaration signée et des inscriptions qui en désignent les clés, fiables aussi longtemps qu’Ed25519 l’est (aucune date de fin de confiance fixée)',
    identityAnchored:
      'les signatures Ed25519 de chaque déclaration signée, faites avant le {from} : l’arbre les a fixées sous la signature ML-DSA-44 du {at}',
    identityUnanchored:
      'les signatures Ed25519 de chaque déclaration signée, qui ne sont plus tenues pour fiables (à partir du {from}) : NON prouvé',
    timeArchived:
      'preuves de date archivées : le dernier événement de la pièce à conviction (entrée {last}) existait {bounds}[ ; {itself}]',
    boundsJoin: ', et ',
    boundTokenQualified:
      'au plus tard le {genTime}[ (±{accuracy} ms)] selon le jeton RFC 3161 de {tsa} portant sur le point de contrôle de taille {size} archivé à l’entrée {index} (un horodatage qualifié : la partie utilisatrice répertorie cette TSA comme qualifiée[ ; l’algorithme de sa propre signature n’est désormais plus tenu pour fiable, et la signature ML-DSA-44 de {renewedBy} faite le {renewedAt} s’en porte garante])',
    boundTokenUnqualified:
      'au plus tard le {genTime}[ (±{accuracy} ms)] selon le jeton RFC 3161 de {tsa} portant sur le point de contrôle de taille {size} archivé à l’entrée {index} (l’horloge de la TSA ; TSA non répertoriée comme qualifiée par la partie utilisatrice[ ; l’algorithme de sa propre signature n’est désormais plus tenu pour fiable, et la signature ML-DSA-44 de {renewedBy} faite le {renewedAt} s’en porte garante])',
    boundWitness_one:
      'au plus tard le {time}, le {ord} plus ancien de {n} horodatage de témoin sur le point de contrôle de taille {size} archivé à l’entrée {index}',
    boundWitness_other:
      'au plus tard le {time}, le {ord} plus ancien des {n} horodatages de témoins sur le point de contrôle de taille {size} archivé à l’entrée {index}',
    itself_one:
      'le point de contrôle lui-même existait au plus tard le {time} ({ord} plus ancien de {n} horodatage de témoin)',
    itself_other:
      'le point de contrôle lui-même existait au plus tard le {time} ({ord} plus ancien des {n} horodatages de témoins)',
    timeBound_one:
      'les horloges des témoins : le point de contrôle existait au plus tard le {time}, le {ord} plus ancien de {n} horodatage de témoin {holds} ; les heures propres des déclarations signées reposent sur la parole de leurs signataires',
    timeBound_other:
      'les horloges des témoins : le point de contrôle existait au plus tard le {time}, le {ord} plus ancien des {n} horodatages de témoins {holds} ; les heures propres des déclarations signées reposent sur la parole de leurs signataires',
    holds_one: '(cela vaut si moins de {n} témoin ment sur l’heure)',
    holds_other: '(cela vaut si moins de {n} témoins mentent sur l’heure)',
    timeCosigned:
      'les horloges des cosignataires : cosigné le {at} ; les heures propres des déclarations signées reposent sur la parole de leurs signataires',
    timeNone:
      'la seule horloge propre du journal et la seule parole des signataires : aucun horodatage de témoin ne date le point de contrôle',
    ordinal_one: '{k}er',
    ordinal_two: '{k}e',
    ordinal_few: '{k}e',
    ordinal_other: '{k}e',
  },
  de: {
    content:
      'dem SHA-256-Merkle-Baum (RFC 9162) der ersten {size} Einträge, dessen Wurzel das Protokoll mit Ed25519[ und mit ML-DSA-44 (FIPS 204, Schlüssel {pq})] signiert hat',
    contentAnchored:
      'dem SHA-256-Merkle-Baum (RFC 9162) der ersten {size} Einträge, dessen Wurzel das Protokoll mit Ed25519[ und mit ML-DSA-44 (FIPS 204, Schlüssel {pq})] signiert hat; Ed25519 gilt ab {from} als nicht mehr vertrauenswürdig, daher beruht dies auf der ML-DSA-44-Signatur von {by}, erstellt am {at}, also davor',
    contentUnanchored:
      'dem SHA-256-Merkle-Baum (RFC 9162) der ersten {size} Einträge, dessen Wurzel das Protokoll mit Ed25519[ und mit ML-DSA-44 (FIPS 204, Schlüssel {pq})] signiert hat; Ed25519 gilt ab {from} als nicht mehr vertrauenswürdig, und nichts Post-Quanten-Sicheres hat den Prüfpunkt vorher verbürgt: NICHT bewiesen',
    identity:
      'den Ed25519-Signaturen jeder signierten Erklärung und der Eintragungen, die ihre Schlüssel nennen, vertrauenswürdig, solange Ed25519 es ist (kein Ablaufdatum festgelegt)',
    identityAnchored:
      'den Ed25519-Signaturen jeder signierten Erklärung, erstellt vor {from}: Der Baum hat sie unter der ML-DSA-44-Signatur vom {at} festgeschrieben',
    identityUnanchored:
      'den Ed25519-Signaturen jeder signierten Erklärung, denen nicht mehr vertraut wird (ab {from}): NICHT bewiesen',
    timeArchived:
      'archivierten Zeitnachweisen: Das letzte Ereignis des Beweisstücks (Eintrag {last}) existierte {bounds}[; {itself}]',
    boundsJoin: ', und ',
    boundTokenQualified:
      'spätestens am {genTime}[ (±{accuracy} ms)] laut dem RFC-3161-Token von {tsa} über den in Eintrag {index} archivierten Prüfpunkt der Größe {size} (ein qualifizierter Zeitstempel: Der vertrauende Beteiligte führt diese TSA als qualifiziert[; der Algorithmus der eigenen Signatur des Tokens ist inzwischen nicht mehr vertrauenswürdig, und die ML-DSA-44-Signatur von {renewedBy}, erstellt am {renewedAt}, verbürgt das Token])',
    boundTokenUnqualified:
      'spätestens am {genTime}[ (±{accuracy} ms)] laut dem RFC-3161-Token von {tsa} über den in Eintrag {index} archivierten Prüfpunkt der Größe {size} (die Uhr der TSA; vom vertrauenden Beteiligten nicht als qualifiziert gekennzeichnet[; der Algorithmus der eigenen Signatur des Tokens ist inzwischen nicht mehr vertrauenswürdig, und die ML-DSA-44-Signatur von {renewedBy}, erstellt am {renewedAt}, verbürgt das Token])',
    boundWitness_one:
      'spätestens am {time}, dem {ord} frühesten von {n} Zeugen-Zeitstempel auf dem in Eintrag {index} archivierten Prüfpunkt der Größe {size}',
    boundWitness_other:
      'spätestens am {time}, dem {ord} frühesten von {n} Zeugen-Zeitstempeln auf dem in Eintrag {index} archivierten Prüfpunkt der Größe {size}',
    itself_one:
      'der Prüfpunkt selbst existierte spätestens am {time} ({ord} frühester von {n} Zeugen-Zeitstempel)',
    itself_other:
      'der Prüfpunkt selbst existierte spätestens am {time} ({ord} frühester von {n} Zeugen-Zeitstempeln)',
    timeBound_one:
      'den Uhren der Zeugen: Der Prüfpunkt existierte spätestens am {time}, dem {ord} frühesten von {n} Zeugen-Zeitstempel {holds}; die eigenen Zeitangaben der signierten Erklärungen beruhen auf den Angaben ihrer Unterzeichner',
    timeBound_other:
      'den Uhren der Zeugen: Der Prüfpunkt existierte spätestens am {time}, dem {ord} frühesten von {n} Zeugen-Zeitstempeln {holds}; die eigenen Zeitangaben der signierten Erklärungen beruhen auf den Angaben ihrer Unterzeichner',
    holds_one: '(dies gilt, sofern weniger als {n} Zeuge falsche Zeitangaben macht)',
    holds_other: '(dies gilt, sofern weniger als {n} Zeugen falsche Zeitangaben machen)',
    timeCosigned:
      'den Uhren der Mitsignierenden: mitsigniert am {at}; die eigenen Zeitangaben der signierten Erklärungen beruhen auf den Angaben ihrer Unterzeichner',
    timeNone:
      'der eigenen Uhr des Protokolls und den Angaben der Unterzeichner allein: Kein Zeugen-Zeitstempel datiert den Prüfpunkt',
    ordinal_one: '{k}.',
    ordinal_two: '{k}.',
    ordinal_few: '{k}.',
    ordinal_other: '{k}.',
  },
  nl: {
    content:
      'de SHA-256-Merkle-boom (RFC 9162) van de eerste {size} vermeldingen, waarvan het logboek de wortel heeft ondertekend met Ed25519[ en met ML-DSA-44 (FIPS 204, sleutel {pq})]',
    contentAnchored:
      'de SHA-256-Merkle-boom (RFC 9162) van de eerste {size} vermeldingen, waarvan het logboek de wortel heeft ondertekend met Ed25519[ en met ML-DSA-44 (FIPS 204, sleutel {pq})]; Ed25519 wordt vanaf {from} niet meer vertrouwd, zodat dit berust op de ML-DSA-44-handtekening van {by}, gezet op {at}, dus vóór die datum',
    contentUnanchored:
      'de SHA-256-Merkle-boom (RFC 9162) van de eerste {size} vermeldingen, waarvan het logboek de wortel heeft ondertekend met Ed25519[ en met ML-DSA-44 (FIPS 204, sleutel {pq})]; Ed25519 wordt vanaf {from} niet meer vertrouwd en vóór die datum heeft geen enkele post-kwantumhandtekening voor het controlepunt ingestaan: NIET bewezen',
    identity:
      'de Ed25519-handtekeningen van elke ondertekende verklaring en van de inschrijvingen die hun sleutels noemen, vertrouwd zolang Ed25519 wordt vertrouwd (geen einddatum ingesteld)',
    identityAnchored:
      'de Ed25519-handtekeningen van elke ondertekende verklaring, gezet vóór {from}: de boom heeft ze vastgelegd onder de ML-DSA-44-handtekening van {at}',
    identityUnanchored:
      'de Ed25519-handtekeningen van elke ondertekende verklaring, die niet meer worden vertrouwd (vanaf {from}): NIET bewezen',
    timeArchived:
      'gearchiveerd tijdsbewijs: de laatste gebeurtenis van het stuk van overtuiging (vermelding {last}) bestond {bounds}[; {itself}]',
    boundsJoin: ', en ',
    boundTokenQualified:
      'uiterlijk op {genTime}[ (±{accuracy} ms)] volgens het RFC 3161-token van {tsa} over het controlepunt van grootte {size}, gearchiveerd in vermelding {index} (een gekwalificeerd tijdstempel: de vertrouwende partij vermeldt deze TSA als gekwalificeerd[; het algoritme van zijn eigen handtekening wordt inmiddels niet meer vertrouwd, en de ML-DSA-44-handtekening van {renewedBy}, gezet op {renewedAt}, staat ervoor in])',
    boundTokenUnqualified:
      'uiterlijk op {genTime}[ (±{accuracy} ms)] volgens het RFC 3161-token van {tsa} over het controlepunt van grootte {size}, gearchiveerd in vermelding {index} (de klok van de TSA; niet als gekwalificeerd aangemerkt door de vertrouwende partij[; het algoritme van zijn eigen handtekening wordt inmiddels niet meer vertrouwd, en de ML-DSA-44-handtekening van {renewedBy}, gezet op {renewedAt}, staat ervoor in])',
    boundWitness_one:
      'uiterlijk op {time}, de {ord} vroegste van {n} tijdstempel van getuigen op het controlepunt van grootte {size}, gearchiveerd in vermelding {index}',
    boundWitness_other:
      'uiterlijk op {time}, de {ord} vroegste van {n} tijdstempels van getuigen op het controlepunt van grootte {size}, gearchiveerd in vermelding {index}',
    itself_one:
      'het controlepunt zelf bestond uiterlijk op {time} ({ord} vroegste van {n} tijdstempel van getuigen)',
    itself_other:
      'het controlepunt zelf bestond uiterlijk op {time} ({ord} vroegste van {n} tijdstempels van getuigen)',
    timeBound_one:
      'de klokken van de getuigen: het controlepunt bestond uiterlijk op {time}, de {ord} vroegste van {n} tijdstempel van getuigen {holds}; de eigen tijdstippen van de verklaringen berusten op het woord van hun ondertekenaars',
    timeBound_other:
      'de klokken van de getuigen: het controlepunt bestond uiterlijk op {time}, de {ord} vroegste van {n} tijdstempels van getuigen {holds}; de eigen tijdstippen van de verklaringen berusten op het woord van hun ondertekenaars',
    holds_one: '(dit geldt als minder dan {n} getuige over de tijd liegt)',
    holds_other: '(dit geldt als minder dan {n} getuigen over de tijd liegen)',
    timeCosigned:
      'de klokken van de medeondertekenaars: medeondertekend op {at}; de eigen tijdstippen van de verklaringen berusten op het woord van hun ondertekenaars',
    timeNone:
      'alleen de eigen klok van het logboek en het woord van de ondertekenaars: geen tijdstempel van een getuige dateert het controlepunt',
    ordinal_one: '{k}e',
    ordinal_two: '{k}e',
    ordinal_few: '{k}e',
    ordinal_other: '{k}e',
  },
});
