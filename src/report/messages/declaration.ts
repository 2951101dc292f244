/**
 * The declaration template (src/report/model-method.ts): the paragraphs a qualified person
 * reviews, adapts and signs. The tool never certifies, and no translation says more than the
 * English. The legal framing paragraphs are in framing.ts.
 */
import { messages } from '../i18n.js';

export const DECLARATION = messages({
  en: {
    heading:
      'Declaration (template: the responsible expert reviews and signs it; the tool certifies nothing)',
    identity:
      'I, {fullName}, {position} at {organisation}, am the expert responsible for this verification, qualified by {qualification} to carry it out and explain it.',
    exhibitNamed: 'exhibit "{label}" ({exhibitId}), case {caseRef}',
    exhibitUnnamed: 'the exhibit named in this report',
    sourceBundle: 'the evidence bundle "{name}"[ ({size})]',
    sourceLedger: 'the custody ledger "{name}"',
    verifiedOn:
      'On {date} I verified {source} for {exhibit}, using {tool} version {version}. The verification identifies electronic data by a process of digital identification: the evidence file by its SHA-256 digest (FIPS 180-4), and each entry of the custody record by its SHA-256 hash and Ed25519 signature (RFC 8032). This report was generated on {generated}.',
    resultVerified:
      'The result was VERIFIED. [The file "{file}" that I examined has the digests registered for the exhibit. ]What the verification proves, and what it does not prove, is stated in the section "Scope" of this report, which forms part of this declaration.',
    resultNotVerified_one:
      'The result was NOT VERIFIED: {n} finding (listed in full under "Checks" and "Problems") prevents verification. I make no declaration about the integrity or the continuity of custody of this exhibit. What can and cannot be concluded is stated in the section "Scope" of this report.',
    resultNotVerified_other:
      'The result was NOT VERIFIED: {n} findings (listed in full under "Checks" and "Problems") prevent verification. I make no declaration about the integrity or the continuity of custody of this exhibit. What can and cannot be concluded is stated in the section "Scope" of this report.',
    repeatable:
      'The verification is repeatable and reproducible (ISO/IEC 27037): an independent person who obtains {obtained}, and the authority public key through an official channel (comparing its fingerprint out of band), and who runs the commands below with this or any other implementation of the published format, will obtain the same result.',
    obtainedBundle: 'the same bundle file',
    obtainedBundleAndFile: 'the same bundle file and evidence file',
    obtainedLedger: 'the same ledger',
    obtainedLedgerAndFile: 'the same ledger and evidence file',
    signature: 'Signature: ______________________',
    signatureName: 'Name and position: ______________________',
    signatureDate: 'Date and place: ______________________',
  },
  fr: {
    heading: 'Déclaration (modèle : l’expert responsable l’examine et la signe ; l’outil ne certifie rien)',
    identity:
      'Je soussigné(e), {fullName}, {position} au sein de {organisation}, suis l’expert responsable de cette vérification, qualifié(e) par {qualification} pour l’effectuer et l’expliquer.',
    exhibitNamed: 'la pièce à conviction « {label} » ({exhibitId}), affaire {caseRef}',
    exhibitUnnamed: 'la pièce à conviction désignée dans ce rapport',
    sourceBundle: 'le dossier de preuve « {name} »[ ({size})]',
    sourceLedger: 'le registre de garde « {name} »',
    verifiedOn:
      'Le {date}, j’ai vérifié {source} pour {exhibit}, au moyen de {tool} version {version}. La vérification identifie des données électroniques par un procédé d’identification numérique : le fichier de preuve par son empreinte SHA-256 (FIPS 180-4), et chaque entrée de l’enregistrement de la garde par sa valeur de hachage SHA-256 et sa signature Ed25519 (RFC 8032). Ce rapport a été établi le {generated}.',
    resultVerified:
      'Le résultat était : VÉRIFIÉ. [Le fichier « {file} » que j’ai examiné présente les empreintes enregistrées pour la pièce à conviction. ]Ce que la vérification prouve, et ce qu’elle ne prouve pas, est exposé dans la section « Portée » du présent rapport, qui fait partie intégrante de la présente déclaration.',
    resultNotVerified_one:
      'Le résultat était : NON VÉRIFIÉ ; {n} constatation (exposée intégralement sous « Vérifications » et « Problèmes ») empêche la vérification. Je ne fais aucune déclaration sur l’intégrité ni sur la continuité de la garde de cette pièce à conviction. Ce qui peut être conclu, et ce qui ne peut pas l’être, est exposé dans la section « Portée » du présent rapport.',
    resultNotVerified_other:
      'Le résultat était : NON VÉRIFIÉ ; {n} constatations (exposées intégralement sous « Vérifications » et « Problèmes ») empêchent la vérification. Je ne fais aucune déclaration sur l’intégrité ni sur la continuité de la garde de cette pièce à conviction. Ce qui peut être conclu, et ce qui ne peut pas l’être, est exposé dans la section « Portée » du présent rapport.',
    repeatable:
      'La vérification est répétable et reproductible (ISO/IEC 27037) : une personne indépendante qui obtient {obtained}, ainsi que la clé publique de l’autorité par une voie officielle (en comparant son empreinte par un autre canal), et qui exécute les commandes ci-dessous avec cette implémentation ou toute autre implémentation du format publié, obtiendra le même résultat.',
    obtainedBundle: 'le même fichier de dossier',
    obtainedBundleAndFile: 'le même fichier de dossier et le même fichier de preuve',
    obtainedLedger: 'le même registre',
    obtainedLedgerAndFile: 'le même registre et le même fichier de preuve',
    signature: 'Signature : ______________________',
    signatureName: 'Nom et fonction : ______________________',
    signatureDate: 'Date et lieu : ______________________',
  },
  de: {
    heading:
      'Erklärung (Vorlage: Der verantwortliche Sachverständige prüft und unterzeichnet sie; das Programm bescheinigt nichts)',
    identity:
      'Ich, {fullName}, {position} bei {organisation}, bin der für diese Prüfung verantwortliche Sachverständige und durch {qualification} befähigt, sie durchzuführen und zu erläutern.',
    exhibitNamed: 'das Beweisstück „{label}“ ({exhibitId}; Aktenzeichen {caseRef})',
    exhibitUnnamed: 'das in diesem Bericht bezeichnete Beweisstück',
    sourceBundle: 'das Beweismittelpaket „{name}“[ ({size})]',
    sourceLedger: 'das Gewahrsamsregister „{name}“',
    verifiedOn:
      'Am {date} habe ich {source} für {exhibit} mit {tool} Version {version} geprüft. Die Prüfung identifiziert elektronische Daten durch ein Verfahren der digitalen Identifizierung: die Beweisdatei anhand ihres SHA-256-Hashwerts (FIPS 180-4) und jeden Eintrag der Gewahrsamsaufzeichnung anhand seines SHA-256-Hashwerts und seiner Ed25519-Signatur (RFC 8032). Dieser Bericht wurde am {generated} erstellt.',
    resultVerified:
      'Das Ergebnis lautete: VERIFIZIERT. [Die von mir untersuchte Datei „{file}“ weist die für das Beweisstück registrierten Hashwerte auf. ]Was die Prüfung beweist und was sie nicht beweist, ist im Abschnitt „Umfang“ dieses Berichts dargelegt, der Bestandteil dieser Erklärung ist.',
    resultNotVerified_one:
      'Das Ergebnis lautete: NICHT VERIFIZIERT; {n} Befund (vollständig aufgeführt unter „Prüfungen“ und „Probleme“) steht der Verifizierung entgegen. Ich gebe keine Erklärung über die Unversehrtheit oder die Kontinuität des Gewahrsams an diesem Beweisstück ab. Was gefolgert werden kann und was nicht, ist im Abschnitt „Umfang“ dieses Berichts dargelegt.',
    resultNotVerified_other:
      'Das Ergebnis lautete: NICHT VERIFIZIERT; {n} Befunde (vollständig aufgeführt unter „Prüfungen“ und „Probleme“) stehen der Verifizierung entgegen. Ich gebe keine Erklärung über die Unversehrtheit oder die Kontinuität des Gewahrsams an diesem Beweisstück ab. Was gefolgert werden kann und was nicht, ist im Abschnitt „Umfang“ dieses Berichts dargelegt.',
    repeatable:
      'Die Prüfung ist wiederholbar und reproduzierbar (ISO/IEC 27037): Eine unabhängige Person, die {obtained} sowie den öffentlichen Schlüssel der Behörde auf amtlichem Weg erhält (und dessen Fingerabdruck über einen anderen Kanal abgleicht) und die unten stehenden Befehle mit dieser oder einer anderen Implementierung des veröffentlichten Formats ausführt, erhält dasselbe Ergebnis.',
    obtainedBundle: 'dieselbe Paketdatei',
    obtainedBundleAndFile: 'dieselbe Paketdatei und dieselbe Beweisdatei',
    obtainedLedger: 'dasselbe Register',
    obtainedLedgerAndFile: 'dasselbe Register und dieselbe Beweisdatei',
    signature: 'Unterschrift: ______________________',
    signatureName: 'Name und Funktion: ______________________',
    signatureDate: 'Ort und Datum: ______________________',
  },
  nl: {
    heading:
      'Verklaring (model: de verantwoordelijke deskundige beoordeelt en ondertekent haar; het programma certificeert niets)',
    identity:
      'Ik, {fullName}, {position} bij {organisation}, ben de deskundige die verantwoordelijk is voor deze verificatie, en ben op grond van {qualification} bekwaam om haar uit te voeren en toe te lichten.',
    exhibitNamed: 'het stuk van overtuiging "{label}" ({exhibitId}), zaak {caseRef}',
    exhibitUnnamed: 'het in dit rapport genoemde stuk van overtuiging',
    sourceBundle: 'het bewijspakket "{name}"[ ({size})]',
    sourceLedger: 'het bewaarregister "{name}"',
    verifiedOn:
      'Op {date} heb ik {source} geverifieerd voor {exhibit}; ik heb daarbij {tool} versie {version} gebruikt. De verificatie identificeert elektronische gegevens door middel van een proces van digitale identificatie: het bewijsbestand aan de hand van zijn SHA-256-hashwaarde (FIPS 180-4), en elke vermelding van de vastlegging van de bewaring aan de hand van haar SHA-256-hash en Ed25519-handtekening (RFC 8032). Dit rapport is gegenereerd op {generated}.',
    resultVerified:
      'De uitkomst was: GEVERIFIEERD. [Het door mij onderzochte bestand "{file}" heeft de hashwaarden die voor het stuk van overtuiging zijn geregistreerd. ]Wat de verificatie bewijst, en wat zij niet bewijst, staat in het onderdeel "Reikwijdte" van dit rapport, dat deel uitmaakt van deze verklaring.',
    resultNotVerified_one:
      'De uitkomst was: NIET GEVERIFIEERD; {n} bevinding (volledig vermeld onder "Controles" en "Problemen") staat verificatie in de weg. Ik leg geen verklaring af over de integriteit of de continuïteit van de bewaring van dit stuk van overtuiging. Wat wel en niet kan worden geconcludeerd, staat in het onderdeel "Reikwijdte" van dit rapport.',
    resultNotVerified_other:
      'De uitkomst was: NIET GEVERIFIEERD; {n} bevindingen (volledig vermeld onder "Controles" en "Problemen") staan verificatie in de weg. Ik leg geen verklaring af over de integriteit of de continuïteit van de bewaring van dit stuk van overtuiging. Wat wel en niet kan worden geconcludeerd, staat in het onderdeel "Reikwijdte" van dit rapport.',
    repeatable:
      'De verificatie is herhaalbaar en reproduceerbaar (ISO/IEC 27037): een onafhankelijke persoon die {obtained} verkrijgt, alsook de publieke sleutel van de autoriteit langs officiële weg (en de vingerafdruk daarvan via een ander kanaal vergelijkt), en die de onderstaande opdrachten uitvoert met deze of een andere implementatie van het gepubliceerde formaat, verkrijgt dezelfde uitkomst.',
    obtainedBundle: 'hetzelfde pakketbestand',
    obtainedBundleAndFile: 'hetzelfde pakketbestand en hetzelfde bewijsbestand',
    obtainedLedger: 'hetzelfde register',
    obtainedLedgerAndFile: 'hetzelfde register en hetzelfde bewijsbestand',
    signature: 'Handtekening: ______________________',
    signatureName: 'Naam en functie: ______________________',
    signatureDate: 'Plaats en datum: ______________________',
  },
});

/**
 * The blanks the signer fills in, with their square brackets. They are literal text, not
 * templates: `fill` reads a bracketed part as optional and would print it without its brackets,
 * so they go into the paragraphs as values (see `blank` in src/report/model-method.ts).
 */
export const BLANKS = messages({
  en: {
    fullName: '[full name]',
    position: '[position]',
    organisation: '[organisation]',
    qualification: '[training and experience]',
    date: '[date]',
    review:
      '[Review this declaration, adapt it to the applicable law and procedure, and sign it only if you stand by it.]',
  },
  fr: {
    fullName: '[nom et prénom]',
    position: '[fonction]',
    organisation: '[organisme]',
    qualification: '[formation et expérience]',
    date: '[date de la vérification]',
    review:
      '[Examinez cette déclaration, adaptez-la au droit et à la procédure applicables, et ne la signez que si vous en assumez le contenu.]',
  },
  de: {
    fullName: '[vollständiger Name]',
    position: '[Funktion]',
    organisation: '[Organisation]',
    qualification: '[Ausbildung und Erfahrung]',
    date: '[Datum]',
    review:
      '[Prüfen Sie diese Erklärung, passen Sie sie an das anwendbare Recht und Verfahren an und unterzeichnen Sie sie nur, wenn Sie für ihren Inhalt einstehen.]',
  },
  nl: {
    fullName: '[volledige naam]',
    position: '[functie]',
    organisation: '[organisatie]',
    qualification: '[opleiding en ervaring]',
    date: '[datum]',
    review:
      '[Beoordeel deze verklaring, pas haar aan aan het toepasselijke recht en de toepasselijke procedure, en onderteken haar alleen als u achter de inhoud staat.]',
  },
});
