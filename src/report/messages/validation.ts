/**
 * The report's validation appendix (docs/VALIDATION.md; ISO/IEC 17025 §7.2.2, the UK Forensic
 * Science Regulator's Code): which verifier made the report, what the project tests on every
 * change, and what is known not to work. It states only what holds for every release: nothing
 * lands on the main branch unless every suite passed (.ci/run), so no count is invented here.
 */
import { messages } from '../i18n.js';

export const VALIDATION = messages({
  en: {
    heading: 'Appendix: validation of the verifier',
    identity:
      'This report was made by {tool} {version}; {page}. docs/VALIDATION.md of the same release is its validation pack: how to identify the copy used, how to repeat the tests, and the known limitations.',
    pageHash: 'the published verifier page of that release has SHA-256 {hash}',
    codeHash: 'it was made in the verifier page, whose embedded code has SHA-256 {hash}',
    noHash: 'the SHA-256 of that release’s verifier page was not at hand',
    tested:
      'Tested on every change, and passed in full before the change was accepted (the project’s CI record for the commit gives the counts):',
    suiteVectors:
      'format test vectors: valid and invalid statements, entries and map proofs, each invalid one refused with its documented code;',
    suiteCrypto:
      'cryptographic vectors: Ed25519 (RFC 8032, small-order and non-canonical keys) and the published Wycheproof ML-DSA-44 vectors, in Node.js and in the verifier page in Chromium and Firefox ESR;',
    suiteParity:
      'verdict parity: the verifier page and the command-line tool give the same verdict and problem codes on the same inputs;',
    suiteDamage:
      'damage and forgery: random damage to bundles, forged ledgers and malformed files never yield VERIFIED and never stop the verifier;',
    suiteInterop:
      'interoperability: checkpoints, signed notes and tiles read alike by an independent implementation (Go, golang.org/x/mod/sumdb);',
    suiteReports:
      'reports: every report says what the verdict says; the PDF of a five-event exhibit passes qpdf --check and carries the bundle.',
    limits: 'Known limitations:',
    limitBrowsers: 'browsers tested: Chromium and Firefox ESR on Debian; others are not tested;',
    limitPdfA: 'the PDF aims at PDF/A-3b, but its conformance is not validated;',
    limitTranslation:
      'translations are the project’s, not a sworn translator’s, and the verifier’s own details of a check or a problem are quoted in English in a translated report;',
    limitLegal: 'the declaration is a template: its legal notes orient and are not legal advice.',
  },
  fr: {
    heading: 'Annexe : validation du vérificateur',
    identity:
      'Ce rapport a été établi par {tool} {version} ; {page}. Le fichier docs/VALIDATION.md de la même version en constitue le dossier de validation : comment identifier l’exemplaire utilisé, comment répéter les essais, et les limites connues.',
    pageHash: 'la page de vérification publiée pour cette version a pour SHA-256 {hash}',
    codeHash: 'il a été établi dans la page de vérification, dont le code intégré a pour SHA-256 {hash}',
    noHash: 'le SHA-256 de la page de vérification de cette version n’était pas disponible',
    tested:
      'Essais effectués à chaque modification, et réussis intégralement avant que la modification ne soit acceptée (le relevé d’intégration continue du projet pour le commit en donne les nombres) :',
    suiteVectors:
      'vecteurs d’essai du format : déclarations signées, entrées et preuves de la table d’état, valides et invalides, chaque cas invalide étant refusé avec son code documenté ;',
    suiteCrypto:
      'vecteurs cryptographiques : Ed25519 (RFC 8032, clés d’ordre faible et non canoniques) et les vecteurs Wycheproof ML-DSA-44 publiés, dans Node.js et dans la page de vérification sous Chromium et Firefox ESR ;',
    suiteParity:
      'concordance des résultats : la page de vérification et l’outil en ligne de commande donnent le même résultat et les mêmes codes de problème pour les mêmes données d’entrée ;',
    suiteDamage:
      'altération et falsification : des dommages aléatoires aux dossiers, des registres falsifiés et des fichiers malformés ne donnent jamais VÉRIFIÉ et n’arrêtent jamais le vérificateur ;',
    suiteInterop:
      'interopérabilité : points de contrôle, notes signées et tuiles lus de la même manière par une implémentation indépendante (Go, golang.org/x/mod/sumdb) ;',
    suiteReports:
      'rapports : chaque rapport dit ce que dit le résultat ; le PDF d’une pièce à conviction à cinq événements passe qpdf --check et contient le dossier.',
    limits: 'Limites connues :',
    limitBrowsers:
      'navigateurs essayés : Chromium et Firefox ESR sous Debian ; les autres ne sont pas essayés ;',
    limitPdfA: 'le PDF vise la norme PDF/A-3b, mais sa conformité n’est pas validée ;',
    limitTranslation:
      'les traductions sont celles du projet, non d’un traducteur assermenté, et dans un rapport traduit les précisions propres au vérificateur sur un contrôle ou un problème sont citées en anglais ;',
    limitLegal:
      'la déclaration est un modèle : ses indications juridiques sont données à titre indicatif et ne constituent pas un avis juridique.',
  },
  de: {
    heading: 'Anhang: Validierung des Prüfprogramms',
    identity:
      'Dieser Bericht wurde von {tool} {version} erstellt; {page}. Die Datei docs/VALIDATION.md derselben Version ist das zugehörige Validierungspaket: wie das verwendete Exemplar zu identifizieren ist, wie die Tests wiederholt werden und welche Einschränkungen bekannt sind.',
    pageHash: 'die für diese Version veröffentlichte Prüfseite hat den SHA-256-Wert {hash}',
    codeHash: 'er wurde in der Prüfseite erstellt, deren eingebetteter Code den SHA-256-Wert {hash} hat',
    noHash: 'der SHA-256-Wert der Prüfseite dieser Version lag nicht vor',
    tested:
      'Bei jeder Änderung getestet und vollständig bestanden, bevor die Änderung angenommen wurde (die Aufzeichnung der kontinuierlichen Integration des Projekts zum Commit nennt die Zahlen):',
    suiteVectors:
      'Testvektoren des Formats: gültige und ungültige signierte Erklärungen, Einträge und Kartenbeweise, wobei jeder ungültige Fall mit seinem dokumentierten Code abgelehnt wird;',
    suiteCrypto:
      'kryptographische Testvektoren: Ed25519 (RFC 8032, Schlüssel kleiner Ordnung und nicht kanonische Schlüssel) und die veröffentlichten Wycheproof-Vektoren für ML-DSA-44, in Node.js und in der Prüfseite unter Chromium und Firefox ESR;',
    suiteParity:
      'Übereinstimmung der Ergebnisse: Prüfseite und Kommandozeilenwerkzeug geben bei denselben Eingaben dasselbe Ergebnis und dieselben Problemcodes;',
    suiteDamage:
      'Beschädigung und Fälschung: zufällige Beschädigungen von Paketen, gefälschte Register und fehlerhafte Dateien ergeben nie VERIFIZIERT und bringen das Prüfprogramm nie zum Absturz;',
    suiteInterop:
      'Interoperabilität: Prüfpunkte, signierte Notizen und Kacheln werden von einer unabhängigen Implementierung (Go, golang.org/x/mod/sumdb) gleich gelesen;',
    suiteReports:
      'Berichte: jeder Bericht sagt, was das Ergebnis sagt; das PDF eines Beweisstücks mit fünf Ereignissen besteht qpdf --check und enthält das Paket.',
    limits: 'Bekannte Einschränkungen:',
    limitBrowsers: 'getestete Browser: Chromium und Firefox ESR unter Debian; andere sind nicht getestet;',
    limitPdfA: 'das PDF zielt auf PDF/A-3b, seine Konformität ist jedoch nicht validiert;',
    limitTranslation:
      'die Übersetzungen stammen vom Projekt, nicht von einem beeidigten Übersetzer, und in einem übersetzten Bericht werden die eigenen Angaben des Prüfprogramms zu einer Prüfung oder einem Problem auf Englisch zitiert;',
    limitLegal:
      'die Erklärung ist eine Vorlage: ihre rechtlichen Hinweise dienen der Orientierung und sind keine Rechtsberatung.',
  },
  nl: {
    heading: 'Bijlage: validatie van de verificatiesoftware',
    identity:
      'Dit rapport is opgesteld door {tool} {version}; {page}. Het bestand docs/VALIDATION.md van dezelfde versie is het validatiedossier: hoe het gebruikte exemplaar te identificeren is, hoe de tests worden herhaald en welke beperkingen bekend zijn.',
    pageHash: 'de gepubliceerde verificatiepagina van die versie heeft SHA-256 {hash}',
    codeHash: 'het is opgesteld in de verificatiepagina, waarvan de ingebedde code SHA-256 {hash} heeft',
    noHash: 'de SHA-256 van de verificatiepagina van die versie was niet beschikbaar',
    tested:
      'Bij elke wijziging getest en volledig geslaagd voordat de wijziging werd aanvaard (het verslag van de continue integratie van het project voor de commit geeft de aantallen):',
    suiteVectors:
      'testvectoren van het formaat: geldige en ongeldige ondertekende verklaringen, vermeldingen en bewijzen van de toestandskaart, waarbij elk ongeldig geval met zijn gedocumenteerde code wordt geweigerd;',
    suiteCrypto:
      'cryptografische testvectoren: Ed25519 (RFC 8032, sleutels van kleine orde en niet-canonieke sleutels) en de gepubliceerde Wycheproof-vectoren voor ML-DSA-44, in Node.js en in de verificatiepagina onder Chromium en Firefox ESR;',
    suiteParity:
      'overeenstemming van uitkomsten: de verificatiepagina en het opdrachtregelprogramma geven bij dezelfde invoer dezelfde uitkomst en dezelfde probleemcodes;',
    suiteDamage:
      'beschadiging en vervalsing: willekeurige beschadiging van pakketten, vervalste registers en misvormde bestanden leveren nooit GEVERIFIEERD op en doen de verificatie nooit vastlopen;',
    suiteInterop:
      'interoperabiliteit: controlepunten, ondertekende notities en tegels worden door een onafhankelijke implementatie (Go, golang.org/x/mod/sumdb) gelijk gelezen;',
    suiteReports:
      'rapporten: elk rapport zegt wat de uitkomst zegt; de PDF van een stuk van overtuiging met vijf gebeurtenissen doorstaat qpdf --check en bevat het pakket.',
    limits: 'Bekende beperkingen:',
    limitBrowsers: 'geteste browsers: Chromium en Firefox ESR onder Debian; andere zijn niet getest;',
    limitPdfA: 'de PDF beoogt PDF/A-3b, maar de conformiteit ervan is niet gevalideerd;',
    limitTranslation:
      'de vertalingen zijn van het project, niet van een beëdigd vertaler, en in een vertaald rapport worden de eigen toelichtingen van de verificatiesoftware bij een controle of probleem in het Engels geciteerd;',
    limitLegal:
      'de verklaring is een model: de juridische aanwijzingen dienen ter oriëntatie en zijn geen juridisch advies.',
  },
});
