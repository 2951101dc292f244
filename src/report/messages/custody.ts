/**
 * The custody section of the report (src/report/model-custody.ts): custody periods, the final
 * state, the story in plain sentences and the words for a re-hash or seal result; and the
 * lineage rows (src/report/model-lineage.ts). The result words (`digest*`, `seal*`) fill the
 * `{digest}` and `{seal}` of the story; the row fields keep their machine values.
 *
 * A story line is one template per outcome, its optional parts in brackets; `{flag}` is the
 * bracketed FLAGGED mark, put in by the code because a template cannot hold a literal bracket.
 */
import { messages } from '../i18n.js';

export const CUSTODY = messages({
  en: {
    periodHeld: 'held by {holder}',
    periodInTransit: 'in transit from {holder} to {to}',
    periodInTransitUnknown: 'in transit from {holder} to an unknown receiver',
    unknownReceiver: 'unknown receiver',
    unknownOrg: 'unknown',
    noCustody: 'No custody record is available for this exhibit.',
    finalHeld: 'At the end of the record the exhibit is held by {holder}, since {since} (entry {seq}).',
    finalHeldBare: 'At the end of the record the exhibit is held.',
    finalInTransit:
      'At the end of the record the exhibit is in transit from {holder} to {to}, since {since} (entry {seq}); the receiver has not yet accepted it.',
    finalInTransitUnknown:
      'At the end of the record the exhibit is in transit from {holder} to an unknown receiver, since {since} (entry {seq}); the receiver has not yet accepted it.',
    finalInTransitBare: 'At the end of the record the exhibit is in transit.',
    finalDisposed: 'The exhibit was disposed of ({method}) by {by} on {on} (entry {seq}).',
    finalDisposedNoMethod: 'The exhibit was disposed of (method not recorded) by {by} on {on} (entry {seq}).',
    finalDisposedBare: 'The exhibit was disposed of.',
    finalUnknown: 'The state of the exhibit at the end of the record is unknown.',
    storyAccepted:
      '{when}: {from} handed the exhibit to {to}[ under {legalBasis}]; accepted {acceptedOn}[ by {acceptedBy} (NOT the named receiver)], digest {digest}, seal {seal}[ {flag}]',
    storyPending:
      '{when}: {from} handed the exhibit to {to}[ under {legalBasis}]; not yet accepted at the end of the record[ {flag}]',
    storyRejected:
      '{when}: {from} handed the exhibit to {to}[ under {legalBasis}]; rejected[ ({note})][ {flag}]',
    storyCancelled:
      '{when}: {from} handed the exhibit to {to}[ under {legalBasis}]; cancelled[ ({note})][ {flag}]',
    storyEvent: '{when}: {summary}[; digest {digest}][ {flag}]',
    flagged: 'FLAGGED: see checks and problems',
    digestMatch: 'matched',
    digestMismatch: 'MISMATCH',
    digestNotComparable: 'not comparable',
    digestNotRehashed: 'not re-hashed',
    sealIntact: 'intact',
    sealBroken: 'BROKEN',
    sealNotRecorded: 'not recorded',
  },
  fr: {
    periodHeld: 'sous la garde de {holder}',
    periodInTransit: 'en transit de {holder} vers {to}',
    periodInTransitUnknown: 'en transit de {holder} vers un destinataire inconnu',
    unknownReceiver: 'destinataire inconnu',
    unknownOrg: 'inconnu',
    noCustody: 'Aucun enregistrement de garde n’est disponible pour cette pièce à conviction.',
    finalHeld:
      'À la fin de l’enregistrement, la pièce à conviction est sous la garde de {holder}, depuis le {since} (entrée {seq}).',
    finalHeldBare: 'À la fin de l’enregistrement, la pièce à conviction est sous garde.',
    finalInTransit:
      'À la fin de l’enregistrement, la pièce à conviction est en transit de {holder} vers {to}, depuis le {since} (entrée {seq}) ; le destinataire ne l’a pas encore acceptée.',
    finalInTransitUnknown:
      'À la fin de l’enregistrement, la pièce à conviction est en transit de {holder} vers un destinataire inconnu, depuis le {since} (entrée {seq}) ; le destinataire ne l’a pas encore acceptée.',
    finalInTransitBare: 'À la fin de l’enregistrement, la pièce à conviction est en transit.',
    finalDisposed:
      'La pièce à conviction a fait l’objet d’une sortie définitive ({method}), effectuée par {by} le {on} (entrée {seq}).',
    finalDisposedNoMethod:
      'La pièce à conviction a fait l’objet d’une sortie définitive (mode non enregistré), effectuée par {by} le {on} (entrée {seq}).',
    finalDisposedBare: 'La pièce à conviction a fait l’objet d’une sortie définitive.',
    finalUnknown: 'L’état de la pièce à conviction à la fin de l’enregistrement est inconnu.',
    storyAccepted:
      '{when} : {from} a remis la pièce à conviction à {to}[ en vertu de {legalBasis}] ; acceptation le {acceptedOn}[ par {acceptedBy} (qui n’est PAS le destinataire désigné)], empreinte : {digest}, scellé : {seal}[ {flag}]',
    storyPending:
      '{when} : {from} a remis la pièce à conviction à {to}[ en vertu de {legalBasis}] ; pas encore acceptée à la fin de l’enregistrement[ {flag}]',
    storyRejected:
      '{when} : {from} a remis la pièce à conviction à {to}[ en vertu de {legalBasis}] ; remise refusée[ ({note})][ {flag}]',
    storyCancelled:
      '{when} : {from} a remis la pièce à conviction à {to}[ en vertu de {legalBasis}] ; remise annulée[ ({note})][ {flag}]',
    storyEvent: '{when} : {summary}[ ; empreinte : {digest}][ {flag}]',
    flagged: 'SIGNALÉ : voir les vérifications et les problèmes',
    digestMatch: 'concordante',
    digestMismatch: 'DIVERGENTE',
    digestNotComparable: 'non comparable',
    digestNotRehashed: 'non recalculée',
    sealIntact: 'non rompu',
    sealBroken: 'ROMPU',
    sealNotRecorded: 'non enregistré',
  },
  de: {
    periodHeld: 'im Gewahrsam von {holder}',
    periodInTransit: 'auf dem Transportweg von {holder} zu {to}',
    periodInTransitUnknown: 'auf dem Transportweg von {holder} zu einem unbekannten Empfänger',
    unknownReceiver: 'unbekannter Empfänger',
    unknownOrg: 'unbekannt',
    noCustody: 'Für dieses Beweisstück liegt keine Aufzeichnung des Gewahrsams vor.',
    finalHeld:
      'Am Ende der Aufzeichnung befindet sich das Beweisstück im Gewahrsam von {holder}, seit {since} (Eintrag {seq}).',
    finalHeldBare: 'Am Ende der Aufzeichnung befindet sich das Beweisstück in Gewahrsam.',
    finalInTransit:
      'Am Ende der Aufzeichnung befindet sich das Beweisstück auf dem Transportweg von {holder} zu {to}, seit {since} (Eintrag {seq}); der Empfänger hat es noch nicht angenommen.',
    finalInTransitUnknown:
      'Am Ende der Aufzeichnung befindet sich das Beweisstück auf dem Transportweg von {holder} zu einem unbekannten Empfänger, seit {since} (Eintrag {seq}); der Empfänger hat es noch nicht angenommen.',
    finalInTransitBare: 'Am Ende der Aufzeichnung befindet sich das Beweisstück auf dem Transportweg.',
    finalDisposed: 'Über das Beweisstück hat {by} am {on} abschließend verfügt ({method}; Eintrag {seq}).',
    finalDisposedNoMethod:
      'Über das Beweisstück hat {by} am {on} abschließend verfügt (Art nicht erfasst; Eintrag {seq}).',
    finalDisposedBare: 'Über das Beweisstück wurde abschließend verfügt.',
    finalUnknown: 'Der Zustand des Beweisstücks am Ende der Aufzeichnung ist unbekannt.',
    storyAccepted:
      '{when}: {from} hat das Beweisstück an {to} übergeben[, gestützt auf {legalBasis}]; angenommen am {acceptedOn}[ von {acceptedBy} (NICHT der benannte Empfänger)], Hashwert: {digest}, Siegel: {seal}[ {flag}]',
    storyPending:
      '{when}: {from} hat das Beweisstück an {to} übergeben[, gestützt auf {legalBasis}]; am Ende der Aufzeichnung noch nicht angenommen[ {flag}]',
    storyRejected:
      '{when}: {from} hat das Beweisstück an {to} übergeben[, gestützt auf {legalBasis}]; abgelehnt[ ({note})][ {flag}]',
    storyCancelled:
      '{when}: {from} hat das Beweisstück an {to} übergeben[, gestützt auf {legalBasis}]; Übergabe zurückgenommen[ ({note})][ {flag}]',
    storyEvent: '{when}: {summary}[; Hashwert: {digest}][ {flag}]',
    flagged: 'BEANSTANDET: siehe Prüfungen und Probleme',
    digestMatch: 'übereinstimmend',
    digestMismatch: 'ABWEICHEND',
    digestNotComparable: 'nicht vergleichbar',
    digestNotRehashed: 'nicht neu berechnet',
    sealIntact: 'unversehrt',
    sealBroken: 'GEBROCHEN',
    sealNotRecorded: 'nicht erfasst',
  },
  nl: {
    periodHeld: 'in bewaring bij {holder}',
    periodInTransit: 'onderweg van {holder} naar {to}',
    periodInTransitUnknown: 'onderweg van {holder} naar een onbekende ontvanger',
    unknownReceiver: 'onbekende ontvanger',
    unknownOrg: 'onbekend',
    noCustody: 'Voor dit stuk van overtuiging is geen vastlegging van de bewaring beschikbaar.',
    finalHeld:
      'Aan het einde van de vastlegging is het stuk van overtuiging in bewaring bij {holder}, sinds {since} (vermelding {seq}).',
    finalHeldBare: 'Aan het einde van de vastlegging is het stuk van overtuiging in bewaring.',
    finalInTransit:
      'Aan het einde van de vastlegging is het stuk van overtuiging onderweg van {holder} naar {to}, sinds {since} (vermelding {seq}); de ontvanger heeft het nog niet aanvaard.',
    finalInTransitUnknown:
      'Aan het einde van de vastlegging is het stuk van overtuiging onderweg van {holder} naar een onbekende ontvanger, sinds {since} (vermelding {seq}); de ontvanger heeft het nog niet aanvaard.',
    finalInTransitBare: 'Aan het einde van de vastlegging is het stuk van overtuiging onderweg.',
    finalDisposed: 'Het stuk van overtuiging is afgedaan ({method}) door {by} op {on} (vermelding {seq}).',
    finalDisposedNoMethod:
      'Het stuk van overtuiging is afgedaan (wijze niet vastgelegd) door {by} op {on} (vermelding {seq}).',
    finalDisposedBare: 'Het stuk van overtuiging is afgedaan.',
    finalUnknown: 'De toestand van het stuk van overtuiging aan het einde van de vastlegging is onbekend.',
    storyAccepted:
      '{when}: {from} heeft het stuk van overtuiging overgedragen aan {to}[ op grond van {legalBasis}]; aanvaard op {acceptedOn}[ door {acceptedBy} (NIET de aangewezen ontvanger)], hashwaarde: {digest}, zegel: {seal}[ {flag}]',
    storyPending:
      '{when}: {from} heeft het stuk van overtuiging overgedragen aan {to}[ op grond van {legalBasis}]; aan het einde van de vastlegging nog niet aanvaard[ {flag}]',
    storyRejected:
      '{when}: {from} heeft het stuk van overtuiging overgedragen aan {to}[ op grond van {legalBasis}]; geweigerd[ ({note})][ {flag}]',
    storyCancelled:
      '{when}: {from} heeft het stuk van overtuiging overgedragen aan {to}[ op grond van {legalBasis}]; overdracht geannuleerd[ ({note})][ {flag}]',
    storyEvent: '{when}: {summary}[; hashwaarde: {digest}][ {flag}]',
    flagged: 'GEMARKEERD: zie controles en problemen',
    digestMatch: 'overeenkomend',
    digestMismatch: 'AFWIJKEND',
    digestNotComparable: 'niet vergelijkbaar',
    digestNotRehashed: 'niet opnieuw berekend',
    sealIntact: 'ongeschonden',
    sealBroken: 'VERBROKEN',
    sealNotRecorded: 'niet vastgelegd',
  },
});

export const LINEAGE = messages({
  en: {
    self: 'This exhibit, "{label}" ({id}), registered at entry {seq} by {by}[, derived from {parent}].',
    parent: 'Derived from "{label}" ({id}), registered at entry {seq} on {on} by {by}.',
    grandparent: 'which was derived from "{label}" ({id}), registered at entry {seq} on {on} by {by}.',
    copy: 'Copy ["{label}" ]({id}) derived from this exhibit at entry {seq} on {on} by {by}.',
  },
  fr: {
    self: 'Cette pièce à conviction, « {label} » ({id}), enregistrée à l’entrée {seq} par {by}[, dérivée de {parent}].',
    parent: 'Dérivée de « {label} » ({id}), enregistrée à l’entrée {seq} le {on} par {by}.',
    grandparent: 'elle-même dérivée de « {label} » ({id}), enregistrée à l’entrée {seq} le {on} par {by}.',
    copy: 'Copie [« {label} » ]({id}) dérivée de cette pièce à conviction à l’entrée {seq} le {on} par {by}.',
  },
  de: {
    self: 'Dieses Beweisstück, „{label}“ ({id}), registriert in Eintrag {seq} durch {by}[, abgeleitet von {parent}].',
    parent: 'Abgeleitet von „{label}“ ({id}), registriert in Eintrag {seq} am {on} durch {by}.',
    grandparent:
      'das seinerseits abgeleitet wurde von „{label}“ ({id}), registriert in Eintrag {seq} am {on} durch {by}.',
    copy: 'Kopie [„{label}“ ]({id}), abgeleitet von diesem Beweisstück in Eintrag {seq} am {on} durch {by}.',
  },
  nl: {
    self: 'Dit stuk van overtuiging, "{label}" ({id}), geregistreerd bij vermelding {seq} door {by}[, afgeleid van {parent}].',
    parent: 'Afgeleid van "{label}" ({id}), geregistreerd bij vermelding {seq} op {on} door {by}.',
    grandparent:
      'dat zelf was afgeleid van "{label}" ({id}), geregistreerd bij vermelding {seq} op {on} door {by}.',
    copy: 'Kopie ["{label}" ]({id}) afgeleid van dit stuk van overtuiging bij vermelding {seq} op {on} door {by}.',
  },
});
