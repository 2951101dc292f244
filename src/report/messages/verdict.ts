/**
 * The verdict in the report's language (src/report/model-verdict.ts): the one-sentence
 * verdict, the reasons against it, and the short reasons the scope quotes for a claim it
 * cannot make. {title} is a check's title, {detail} and {message} the verifier's own words,
 * {outcome} the machine verdict (FAILED, UNANCHORED, …), kept as is.
 *
 * In `notVerified`, {name} is the exhibit as `exhibitNamed` or `exhibitUnnamed` give it (outside
 * English with its noun, "la pièce à conviction « … »", so the sentence reads whole either way)
 * and {clauses} the findings joined by `clauseJoin`: whole clauses, except in German, where they
 * are short findings ("2 Probleme festgestellt"), as a list after a colon is written there; the
 * short `blocked…` reasons, which follow "Reason:" in the scope, likewise. The VERIFIED
 * sentences name the exhibit by {label} and {id}; {passed} is the count phrase of
 * `passedAll`/`passed`, worded to fit: a clause in English and French, an object ("alle 14
 * Prüfungen") in German and Dutch.
 */
import { messages } from '../i18n.js';

export const VERDICT = messages({
  en: {
    blockedCheckFailed: 'the check "{title}" failed',
    blockedCheckNotPerformed: 'the check "{title}" was not performed',
    blockedProblem: '{code}[ at entry {seq}]: {message}',
    blockedNotAnchored: 'no trusted authority key matched the record (not anchored)',
    blockedNoExhibit: 'the exhibit was not found in the record',
    blockedUnexplained: 'the verifier reported a failure without naming a failed check or problem',
    reasonCheckFailed: 'Check failed: {title} — {detail}',
    reasonProblem: 'Problem {code}[ at entry {seq}]: {message}',
    reasonNotAnchored:
      'Not anchored: no authority key supplied as trusted matched this record, so anyone could have produced it.',
    reasonNoExhibit: 'The exhibit was not found in the record.',
    reasonCheckNotPerformed: 'Check not performed: {title} — {detail}',
    reasonUnexplained: 'The verifier reported a failure.',
    fingerprint: 'you supplied (fingerprint {fingerprint})',
    noTrustedKey: 'no trusted key',
    exhibitNamed: '"{label}" ({id})',
    exhibitUnnamed: 'the exhibit asked about',
    passedAll_one: 'the single check passed',
    passedAll_other: 'all {n} checks passed',
    passed_one: '{n} check passed',
    passed_other: '{n} checks passed',
    notPerformed_one: '{n} not performed: {titles}',
    notPerformed_other: '{n} not performed: {titles}',
    verifiedFileMatches:
      'VERIFIED: {passed}[ ({notPerformed})] for exhibit "{label}" ({id}): every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the authority key {fingerprint}, and the file "{file}" matches the registered digests.[ The record itself records what a court must weigh: {recorded}.]',
    verifiedFileDiffers:
      'VERIFIED: {passed}[ ({notPerformed})] for exhibit "{label}" ({id}): every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the authority key {fingerprint}.[ The record itself records what a court must weigh: {recorded}.]',
    verifiedNoFile:
      'VERIFIED: {passed}[ ({notPerformed})] for exhibit "{label}" ({id}): every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the authority key {fingerprint}; no evidence file was compared.[ The record itself records what a court must weigh: {recorded}.]',
    notVerified:
      'NOT VERIFIED ({outcome}): for exhibit {name}, {clauses}[; the record is anchored to the authority key {fingerprint}].',
    clauseJoin: ', and ',
    failedOf_one: '{n} of {total} checks failed ({titles})',
    failedOf_other: '{n} of {total} checks failed ({titles})',
    problemsFound_one: '{n} problem was found',
    problemsFound_other: '{n} problems were found',
    notAnchored: 'the record is not anchored to a trusted authority key',
    noExhibit: 'the exhibit was not found',
    essentialNotPerformed_one: '{n} essential check was not performed ({titles})',
    essentialNotPerformed_other: '{n} essential checks were not performed ({titles})',
    unexplained: 'the verifier reported a failure',
  },
  fr: {
    blockedCheckFailed: 'la vérification « {title} » a échoué',
    blockedCheckNotPerformed: 'la vérification « {title} » n’a pas été effectuée',
    blockedProblem: '{code}[ à l’entrée {seq}] : {message}',
    blockedNotAnchored:
      'aucune clé de l’autorité de confiance ne correspond à l’enregistrement (non rattaché)',
    blockedNoExhibit: 'la pièce à conviction n’a pas été trouvée dans l’enregistrement',
    blockedUnexplained:
      'le vérificateur a signalé un échec sans nommer de vérification échouée ni de problème',
    reasonCheckFailed: 'Vérification échouée : {title} — {detail}',
    reasonProblem: 'Problème {code}[ à l’entrée {seq}] : {message}',
    reasonNotAnchored:
      'Non rattaché : aucune clé de l’autorité fournie comme digne de confiance ne correspond à cet enregistrement ; n’importe qui aurait donc pu le produire.',
    reasonNoExhibit: 'La pièce à conviction n’a pas été trouvée dans l’enregistrement.',
    reasonCheckNotPerformed: 'Vérification non effectuée : {title} — {detail}',
    reasonUnexplained: 'Le vérificateur a signalé un échec.',
    fingerprint: '(fournie par vous ; empreinte {fingerprint})',
    noTrustedKey: '(aucune clé de confiance)',
    exhibitNamed: 'la pièce à conviction « {label} » ({id})',
    exhibitUnnamed: 'la pièce à conviction demandée',
    passedAll_one: 'l’unique vérification a réussi',
    passedAll_other: 'les {n} vérifications ont réussi',
    passed_one: '{n} vérification a réussi',
    passed_other: '{n} vérifications ont réussi',
    notPerformed_one: '{n} non effectuée : {titles}',
    notPerformed_other: '{n} non effectuées : {titles}',
    verifiedFileMatches:
      'VÉRIFIÉ : {passed}[ ({notPerformed})] pour la pièce à conviction « {label} » ({id}) : chaque entrée de son historique de garde est signée par la clé qu’elle désigne, aucune entrée n’a été modifiée, supprimée ou déplacée, l’enregistrement est rattaché à la clé de l’autorité {fingerprint}, et le fichier « {file} » correspond aux empreintes enregistrées.[ L’enregistrement consigne lui-même ce qu’une juridiction doit apprécier : {recorded}.]',
    verifiedFileDiffers:
      'VÉRIFIÉ : {passed}[ ({notPerformed})] pour la pièce à conviction « {label} » ({id}) : chaque entrée de son historique de garde est signée par la clé qu’elle désigne, aucune entrée n’a été modifiée, supprimée ou déplacée, et l’enregistrement est rattaché à la clé de l’autorité {fingerprint}.[ L’enregistrement consigne lui-même ce qu’une juridiction doit apprécier : {recorded}.]',
    verifiedNoFile:
      'VÉRIFIÉ : {passed}[ ({notPerformed})] pour la pièce à conviction « {label} » ({id}) : chaque entrée de son historique de garde est signée par la clé qu’elle désigne, aucune entrée n’a été modifiée, supprimée ou déplacée, et l’enregistrement est rattaché à la clé de l’autorité {fingerprint} ; aucun fichier de preuve n’a été comparé.[ L’enregistrement consigne lui-même ce qu’une juridiction doit apprécier : {recorded}.]',
    notVerified:
      'NON VÉRIFIÉ ({outcome}) : pour {name}, {clauses}[ ; l’enregistrement est rattaché à la clé de l’autorité {fingerprint}].',
    clauseJoin: ', et ',
    failedOf_one: '{n} vérification sur {total} a échoué ({titles})',
    failedOf_other: '{n} vérifications sur {total} ont échoué ({titles})',
    problemsFound_one: '{n} problème a été constaté',
    problemsFound_other: '{n} problèmes ont été constatés',
    notAnchored: 'l’enregistrement n’est pas rattaché à une clé de l’autorité de confiance',
    noExhibit: 'elle n’a pas été trouvée',
    essentialNotPerformed_one: '{n} vérification essentielle n’a pas été effectuée ({titles})',
    essentialNotPerformed_other: '{n} vérifications essentielles n’ont pas été effectuées ({titles})',
    unexplained: 'le vérificateur a signalé un échec',
  },
  de: {
    blockedCheckFailed: 'Prüfung „{title}“ fehlgeschlagen',
    blockedCheckNotPerformed: 'Prüfung „{title}“ nicht durchgeführt',
    blockedProblem: '{code}[ bei Eintrag {seq}]: {message}',
    blockedNotAnchored:
      'keine Übereinstimmung der Aufzeichnung mit einem vertrauenswürdigen Schlüssel der Behörde (nicht verankert)',
    blockedNoExhibit: 'Beweisstück in der Aufzeichnung nicht gefunden',
    blockedUnexplained:
      'Fehlschlag vom Prüfprogramm gemeldet, ohne Nennung einer fehlgeschlagenen Prüfung oder eines Problems',
    reasonCheckFailed: 'Prüfung fehlgeschlagen: {title} — {detail}',
    reasonProblem: 'Problem {code}[ bei Eintrag {seq}]: {message}',
    reasonNotAnchored:
      'Nicht verankert: Kein als vertrauenswürdig angegebener Schlüssel der Behörde passt zu dieser Aufzeichnung; sie könnte daher von jedermann erstellt worden sein.',
    reasonNoExhibit: 'Das Beweisstück wurde in der Aufzeichnung nicht gefunden.',
    reasonCheckNotPerformed: 'Prüfung nicht durchgeführt: {title} — {detail}',
    reasonUnexplained: 'Das Prüfprogramm hat einen Fehlschlag gemeldet.',
    fingerprint: '(von Ihnen angegeben; Fingerabdruck {fingerprint})',
    noTrustedKey: '(kein vertrauenswürdiger Schlüssel)',
    exhibitNamed: 'das Beweisstück „{label}“ ({id})',
    exhibitUnnamed: 'das angefragte Beweisstück',
    passedAll_one: 'die einzige Prüfung',
    passedAll_other: 'alle {n} Prüfungen',
    passed_one: '{n} Prüfung',
    passed_other: '{n} Prüfungen',
    notPerformed_one: '{n} nicht durchgeführt: {titles}',
    notPerformed_other: '{n} nicht durchgeführt: {titles}',
    verifiedFileMatches:
      'VERIFIZIERT: {passed}[ ({notPerformed})] für das Beweisstück „{label}“ ({id}) bestanden: Jeder Eintrag seiner Gewahrsamsaufzeichnung ist mit dem Schlüssel signiert, den er nennt, kein Eintrag wurde verändert, entfernt oder umgeordnet, die Aufzeichnung ist im Schlüssel der Behörde {fingerprint} verankert, und die Datei „{file}“ stimmt mit den registrierten Hashwerten überein.[ Die Aufzeichnung selbst hält fest, was ein Gericht würdigen muss: {recorded}.]',
    verifiedFileDiffers:
      'VERIFIZIERT: {passed}[ ({notPerformed})] für das Beweisstück „{label}“ ({id}) bestanden: Jeder Eintrag seiner Gewahrsamsaufzeichnung ist mit dem Schlüssel signiert, den er nennt, kein Eintrag wurde verändert, entfernt oder umgeordnet, und die Aufzeichnung ist im Schlüssel der Behörde {fingerprint} verankert.[ Die Aufzeichnung selbst hält fest, was ein Gericht würdigen muss: {recorded}.]',
    verifiedNoFile:
      'VERIFIZIERT: {passed}[ ({notPerformed})] für das Beweisstück „{label}“ ({id}) bestanden: Jeder Eintrag seiner Gewahrsamsaufzeichnung ist mit dem Schlüssel signiert, den er nennt, kein Eintrag wurde verändert, entfernt oder umgeordnet, und die Aufzeichnung ist im Schlüssel der Behörde {fingerprint} verankert; es wurde keine Beweisdatei verglichen.[ Die Aufzeichnung selbst hält fest, was ein Gericht würdigen muss: {recorded}.]',
    notVerified:
      'NICHT VERIFIZIERT ({outcome}) für {name}: {clauses}[; die Aufzeichnung ist im Schlüssel der Behörde {fingerprint} verankert].',
    clauseJoin: ', ',
    failedOf_one: '{n} von {total} Prüfungen fehlgeschlagen ({titles})',
    failedOf_other: '{n} von {total} Prüfungen fehlgeschlagen ({titles})',
    problemsFound_one: '{n} Problem festgestellt',
    problemsFound_other: '{n} Probleme festgestellt',
    notAnchored: 'Aufzeichnung in keinem vertrauenswürdigen Schlüssel der Behörde verankert',
    noExhibit: 'nicht gefunden',
    essentialNotPerformed_one: '{n} wesentliche Prüfung nicht durchgeführt ({titles})',
    essentialNotPerformed_other: '{n} wesentliche Prüfungen nicht durchgeführt ({titles})',
    unexplained: 'Fehlschlag vom Prüfprogramm gemeldet',
  },
  nl: {
    blockedCheckFailed: 'de controle "{title}" is niet geslaagd',
    blockedCheckNotPerformed: 'de controle "{title}" is niet uitgevoerd',
    blockedProblem: '{code}[ bij vermelding {seq}]: {message}',
    blockedNotAnchored:
      'geen vertrouwde sleutel van de autoriteit komt overeen met de vastlegging (niet verankerd)',
    blockedNoExhibit: 'het stuk van overtuiging is niet gevonden in de vastlegging',
    blockedUnexplained:
      'het verificatieprogramma heeft een negatieve uitkomst gemeld zonder een niet-geslaagde controle of een probleem te noemen',
    reasonCheckFailed: 'Controle niet geslaagd: {title} — {detail}',
    reasonProblem: 'Probleem {code}[ bij vermelding {seq}]: {message}',
    reasonNotAnchored:
      'Niet verankerd: geen als vertrouwd opgegeven sleutel van de autoriteit komt overeen met deze vastlegging; iedereen zou haar dus kunnen hebben opgesteld.',
    reasonNoExhibit: 'Het stuk van overtuiging is niet gevonden in de vastlegging.',
    reasonCheckNotPerformed: 'Controle niet uitgevoerd: {title} — {detail}',
    reasonUnexplained: 'Het verificatieprogramma heeft een negatieve uitkomst gemeld.',
    fingerprint: '(door u opgegeven; vingerafdruk {fingerprint})',
    noTrustedKey: '(geen vertrouwde sleutel)',
    exhibitNamed: 'het stuk van overtuiging "{label}" ({id})',
    exhibitUnnamed: 'het gevraagde stuk van overtuiging',
    passedAll_one: 'de enige controle',
    passedAll_other: 'alle {n} controles',
    passed_one: '{n} controle',
    passed_other: '{n} controles',
    notPerformed_one: '{n} niet uitgevoerd: {titles}',
    notPerformed_other: '{n} niet uitgevoerd: {titles}',
    verifiedFileMatches:
      'GEVERIFIEERD: het stuk van overtuiging "{label}" ({id}) heeft {passed} doorstaan[ ({notPerformed})]: elke vermelding van de vastlegging van zijn bewaring is ondertekend met de sleutel die zij noemt, geen vermelding is gewijzigd, verwijderd of van volgorde veranderd, de vastlegging is verankerd aan de sleutel van de autoriteit {fingerprint}, en het bestand "{file}" komt overeen met de geregistreerde hashwaarden.[ De vastlegging vermeldt zelf wat een rechter moet beoordelen: {recorded}.]',
    verifiedFileDiffers:
      'GEVERIFIEERD: het stuk van overtuiging "{label}" ({id}) heeft {passed} doorstaan[ ({notPerformed})]: elke vermelding van de vastlegging van zijn bewaring is ondertekend met de sleutel die zij noemt, geen vermelding is gewijzigd, verwijderd of van volgorde veranderd, en de vastlegging is verankerd aan de sleutel van de autoriteit {fingerprint}.[ De vastlegging vermeldt zelf wat een rechter moet beoordelen: {recorded}.]',
    verifiedNoFile:
      'GEVERIFIEERD: het stuk van overtuiging "{label}" ({id}) heeft {passed} doorstaan[ ({notPerformed})]: elke vermelding van de vastlegging van zijn bewaring is ondertekend met de sleutel die zij noemt, geen vermelding is gewijzigd, verwijderd of van volgorde veranderd, en de vastlegging is verankerd aan de sleutel van de autoriteit {fingerprint}; er is geen bewijsbestand vergeleken.[ De vastlegging vermeldt zelf wat een rechter moet beoordelen: {recorded}.]',
    notVerified:
      'NIET GEVERIFIEERD ({outcome}): voor {name} geldt: {clauses}[; de vastlegging is verankerd aan de sleutel van de autoriteit {fingerprint}].',
    clauseJoin: ', en ',
    failedOf_one: '{n} van de {total} controles is niet geslaagd ({titles})',
    failedOf_other: '{n} van de {total} controles zijn niet geslaagd ({titles})',
    problemsFound_one: '{n} probleem is vastgesteld',
    problemsFound_other: '{n} problemen zijn vastgesteld',
    notAnchored: 'de vastlegging is niet verankerd aan een vertrouwde sleutel van de autoriteit',
    noExhibit: 'het is niet gevonden',
    essentialNotPerformed_one: '{n} essentiële controle is niet uitgevoerd ({titles})',
    essentialNotPerformed_other: '{n} essentiële controles zijn niet uitgevoerd ({titles})',
    unexplained: 'het verificatieprogramma heeft een negatieve uitkomst gemeld',
  },
});
