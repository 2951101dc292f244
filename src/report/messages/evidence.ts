/**
 * What the registration says the evidence is (register body version 2, docs/FORMAT.md): the
 * report's "Evidence" row of the identification (src/report/model-lineage.ts). Countable
 * messages come as `_one`/`_other` (src/report/i18n.ts `sayCount`). Whether the registrar's own
 * hashing agreed with the tool's reported digests is not in the record, so it is not said.
 */
import { messages } from '../i18n.js';

export const EVIDENCE = messages({
  en: {
    directory_one: 'a folder of {n} file, {size} in all; manifest root {root}',
    directory_other: 'a folder of {n} files, {size} in all; manifest root {root}',
    segments_one: 'a segment set of {n} segment, {size} in all; manifest root {root}',
    segments_other: 'a segment set of {n} segments, {size} in all; manifest root {root}',
    device:
      'a block device[ ({model})], read-only: {readOnly}, mounted: {mounted}, as the system reported when it was read',
    yes: 'yes',
    no: 'no',
    reported: 'digests also reported by the acquisition tool {tool} {version}',
  },
  fr: {
    directory_one: 'un dossier de {n} fichier, {size} au total ; racine du manifeste {root}',
    directory_other: 'un dossier de {n} fichiers, {size} au total ; racine du manifeste {root}',
    segments_one: 'un ensemble de {n} segment, {size} au total ; racine du manifeste {root}',
    segments_other: 'un ensemble de {n} segments, {size} au total ; racine du manifeste {root}',
    device:
      'un périphérique de stockage[ ({model})], en lecture seule : {readOnly}, monté : {mounted}, selon le système au moment de sa lecture',
    yes: 'oui',
    no: 'non',
    reported: 'empreintes également déclarées par l’outil d’acquisition {tool} {version}',
  },
  de: {
    directory_one: 'ein Ordner mit {n} Datei, insgesamt {size}; Wurzel des Manifests {root}',
    directory_other: 'ein Ordner mit {n} Dateien, insgesamt {size}; Wurzel des Manifests {root}',
    segments_one: 'ein Segmentsatz aus {n} Segment, insgesamt {size}; Wurzel des Manifests {root}',
    segments_other: 'ein Segmentsatz aus {n} Segmenten, insgesamt {size}; Wurzel des Manifests {root}',
    device:
      'ein Blockgerät[ ({model})], schreibgeschützt: {readOnly}, eingehängt: {mounted}, wie vom System beim Lesen gemeldet',
    yes: 'ja',
    no: 'nein',
    reported: 'Hashwerte zusätzlich vom Sicherungswerkzeug {tool} {version} gemeldet',
  },
  nl: {
    directory_one: 'een map met {n} bestand, in totaal {size}; wortel van het manifest {root}',
    directory_other: 'een map met {n} bestanden, in totaal {size}; wortel van het manifest {root}',
    segments_one: 'een segmentenset van {n} segment, in totaal {size}; wortel van het manifest {root}',
    segments_other: 'een segmentenset van {n} segmenten, in totaal {size}; wortel van het manifest {root}',
    device:
      'een blokapparaat[ ({model})], alleen-lezen: {readOnly}, aangekoppeld: {mounted}, zoals het systeem meldde toen het werd gelezen',
    yes: 'ja',
    no: 'nee',
    reported: 'hashwaarden ook gemeld door het acquisitieprogramma {tool} {version}',
  },
});
