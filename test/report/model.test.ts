import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import {
  buildReportModel,
  checkArea,
  durationText,
  problemArea,
  sizeText,
  timeText,
  visible,
} from '../../src/report/index.js';
import { bundleWorld, checkpointOf, pinAuthority, verify } from '../bundle/v2-helpers.js';
import {
  buildWorld,
  COPY_ID,
  caseVerdict,
  DIGESTS,
  derivedVerdict,
  EIO,
  failVerdict,
  JIT,
  META,
  ORIGINAL,
  ORIGINAL_ID,
  passVerdict,
  singleEventVerdict,
  statement,
  t,
  timelineOf,
} from './fixtures.js';

const FIXED_NOT_PROVEN = [
  'What happened before registration',
  'The truth of what the entries say',
  'The times:',
  'That the people behind the keys are who the entries say',
  'Events after the checkpoint',
  'Physical custody outside the record',
];

describe('report model: passing case', () => {
  const m = buildReportModel(passVerdict(), META);

  it('gives a VERIFIED verdict in one plain sentence, anchored', () => {
    expect(m.format).toBe('custody-report/v1');
    expect(m.verdict.status).toBe('VERIFIED');
    expect(m.verdict.verified).toBe(true);
    expect(m.verdict.anchored).toBe(true);
    expect(m.verdict.sentence).toMatch(/^VERIFIED: all 14 checks passed for exhibit "HDD-01"/);
    // The anchor is the fingerprint the relying party supplied, never the ledger's name for it.
    expect(m.verdict.sentence).toContain('anchored to the authority key you supplied (fingerprint ');
    expect(m.verdict.sentence).not.toContain(`authority key ${buildWorld().people['authority']!.id}`);
    expect(m.verdict.sentence).not.toContain('NOT');
    expect(m.verdict.reasons).toEqual([]);
    expect(m.verdict.checksPassed).toBe(14);
  });

  it('identifies the evidence: label, case, description, size, digests, registration, seal, seizure', () => {
    const id = m.identification!;
    expect(id.label).toBe('HDD-01');
    expect(id.exhibitId).toBe(ORIGINAL_ID);
    expect(id.caseRef).toBe('OM-AMS 2024/0117');
    expect(id.description).toContain('Seagate Barracuda');
    expect(id.size).toEqual({ bytes: 500_107_862_016, text: '500,107,862,016 bytes', human: '465.76 GiB' });
    expect(id.digests).toEqual([
      { algorithm: 'sha256', name: 'SHA-256', hex: DIGESTS.sha256 },
      { algorithm: 'md5', name: 'MD5', hex: DIGESTS.md5 },
    ]);
    expect(id.registration.seq).toBe(5);
    expect(id.registration.by.name).toBe('Insp. J. de Vries');
    expect(id.registration.time.utc).toBe('2024-03-04 07:02:00 UTC');
    expect(id.registration.time.local).toBe('2024-03-04 08:02:00 UTC+01:00 (Europe/Amsterdam)');
    expect(id.seal).toBe('NL-POL-2024-118342');
    expect(id.location).toBe('Keizersgracht 100, Amsterdam');
    expect(id.seizedAt?.local).toBe('2024-03-04 06:15:00 UTC+01:00 (Europe/Amsterdam)');
    expect(id.parent).toBeNull();
  });

  it('builds custody periods with holders, UTC and local times, and durations', () => {
    const p = m.custody.periods;
    expect(p.map((x) => [x.status, x.holder.org])).toEqual([
      ['held', 'Politie Eenheid Amsterdam'],
      ['in-transit', 'Politie Eenheid Amsterdam'],
      ['held', 'Nederlands Forensisch Instituut'],
      ['in-transit', 'Nederlands Forensisch Instituut'],
      ['held', 'Bundeskriminalamt'],
      ['in-transit', 'Bundeskriminalamt'],
      ['held', 'Tribunal judiciaire de Paris'],
    ]);
    expect(p[2]!.duration).toEqual({
      ms: t('2024-04-02T07:30:00Z') - t('2024-03-05T10:30:00Z'),
      text: '27 days 21 h',
    });
    // The end of a period is shown in the zone of the signer of the entry that ended it.
    expect(p[3]!.until?.local).toBe('2024-04-03 15:05:00 UTC+02:00 (Europe/Berlin)');
    expect(p[3]!.legalBasis).toBe(EIO);
    expect(p[6]!.until).toBeNull();
    expect(p[6]!.duration.ms).toBeNull();
    expect(p[6]!.duration.text).toContain('open');
    expect(m.custody.finalState).toContain(
      'held by Greffière Claire Martin (Tribunal judiciaire de Paris, FR)',
    );
  });

  it('lists each hand-over with reason, method, seal, legal basis, acceptance, re-hash and seal state', () => {
    const h = m.custody.handovers;
    expect(h.map((x) => x.seq)).toEqual([6, 11, 13]);
    expect(h.map((x) => x.legalBasis)).toEqual([null, EIO, JIT]);
    expect(h.map((x) => x.crossBorder)).toEqual([false, true, true]);
    expect(h.map((x) => x.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(h.map((x) => x.acceptedByNamedReceiver)).toEqual([true, true, true]);
    expect(h.map((x) => x.rehash)).toEqual(['match', 'match', 'match']);
    expect(h.map((x) => x.sealOnReceipt)).toEqual(['intact', 'intact', 'intact']);
    expect(h[0]).toMatchObject({
      reason: 'forensic examination (request NFI 2024-4471)',
      method: 'sealed evidence bag, police courier',
      seal: 'NL-POL-2024-118342',
      outcomeSeq: 7,
    });
    expect(h[0]!.rehashAlgorithms).toEqual(['SHA-256']);
    expect(h[2]!.transit?.text).toBe('1 day 6 h 45 min');
    expect(h[2]!.outcomeAt?.local).toBe('2024-05-21 16:45:00 UTC+02:00 (Europe/Paris)');
  });

  it('lists the events, including the derived copy, with local time zones', () => {
    const ev = m.custody.events;
    expect(ev.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 11, 12, 13, 14]);
    expect(ev.find((e) => e.seq === 9)?.derivedExhibit).toBe(COPY_ID);
    expect(ev.find((e) => e.seq === 8)?.rehash).toBe('match');
    expect(ev.every((e) => !e.flagged)).toBe(true);
    expect(m.custody.story).toHaveLength(6);
    expect(m.custody.story[4]).toContain(`under ${EIO}; accepted 2024-04-03, digest matched, seal intact`);
  });

  it('records the lineage: this exhibit and its derived copy', () => {
    expect(m.lineage.map((l) => [l.relation, l.exhibitId])).toEqual([
      ['this exhibit', ORIGINAL_ID],
      ['derived copy', COPY_ID],
    ]);
    expect(m.lineage[1]!.label).toBe('HDD-01/WC1');
  });

  it('explains every check and lists the anchors with grouped fingerprints', () => {
    expect(m.checks).toHaveLength(14);
    expect(m.checks.every((c) => c.verdictText === 'PASSED')).toBe(true);
    for (const c of m.checks.filter((c) => c.id !== 'openings'))
      expect(c.meaning.length, c.id).toBeGreaterThan(20);
    const a = m.anchors[0]!;
    expect(a.role).toBe('authority');
    expect(a.fingerprintGrouped.replaceAll(' ', '')).toBe(a.fingerprint);
    expect(a.fingerprintGrouped.split(' ')).toHaveLength(16);
  });

  it('explains the v2 "openings" check too', () => {
    expect(m.checks.find((c) => c.id === 'openings')!.meaning.length).toBeGreaterThan(20);
  });

  it('states the method with standards', () => {
    expect(m.method.tool).toBe('custody');
    expect(m.method.toolVersion).toBe('0.1.0');
    const text = m.method.algorithms.map((a) => `${a.name}: ${a.standard}`).join('\n');
    for (const s of [
      'Ed25519: RFC 8032',
      'SHA-256: FIPS 180-4',
      'RFC 9162',
      'C2SP tlog-checkpoint',
      'signed-note',
      'C2SP tlog-cosignature',
      'canonical MessagePack',
      'docs/FORMAT.md',
    ])
      expect(text).toContain(s);
    expect(m.method.notes.join(' ')).toContain('MD5 is shown only for comparison');
  });

  it('proves exactly what passed: file identity, continuity, completeness, witnesses', () => {
    const proven = m.scope.proven.join('\n');
    expect(proven).toContain(
      `the SHA-256 of the file "HDD01.dd" (500,107,862,016 bytes) is ${DIGESTS.sha256}, which equals the digest registered on 2024-03-04 07:02:00 UTC (entry 5) by Insp. J. de Vries (Politie Eenheid Amsterdam, NL)`,
    );
    expect(proven).toContain('custody was continuous from registration (entry 5) to entry 14');
    expect(proven).toContain('every hand-over was accepted by the receiver named in it (3 of 3)');
    expect(proven).toContain('3 of 3 receivers re-computed the digest on receipt and it matched');
    expect(proven).toContain('complete from registration (entry 5) to entry 14');
    expect(proven).toContain('included in the checkpoint of size 17');
    expect(proven).toContain('meeting the required quorum of 2');
    // MD5 never carries a finding.
    expect(m.scope.proven.some((s) => s.includes('MD5'))).toBe(false);
    for (const s of FIXED_NOT_PROVEN) expect(m.scope.notProven.some((x) => x.startsWith(s))).toBe(true);
  });

  it('offers a declaration for the expert to sign, never a certification by the tool; EU framing by default, US and UK on request', () => {
    const c = m.certification;
    const text = c.paragraphs.join('\n');
    expect(c.heading).toMatch(/^Declaration .*certifies nothing/);
    expect(text).toContain('The result was VERIFIED.');
    expect(text).toContain('process of digital identification');
    expect(text).toContain('[full name]');
    for (const s of [
      'Article 46',
      'Article 41',
      'Article 35',
      'Article 45k (legal effects of electronic ledgers)',
      'ISO/IEC 27037',
      'article 427',
      '§ 261',
      'article 339',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('902(');
    expect(text).not.toContain('ACPO');
    expect(c.commands).toEqual(META.commands);
    const us = buildReportModel(passVerdict(), { ...META, framing: 'us' }).certification.paragraphs.join(
      '\n',
    );
    expect(us).toContain('902(13)');
    expect(us).toContain('902(14)');
    expect(us).toContain('the tool does not certify');
    const uk = buildReportModel(passVerdict(), { ...META, framing: 'uk' }).certification.paragraphs.join(
      '\n',
    );
    expect(uk).toContain("Forensic Science Regulator's statutory Code");
  });
});

describe('report model: failing case (forged cleartext, recorded mismatch, witness quorum)', () => {
  const m = buildReportModel(failVerdict(), META);

  it('says NOT VERIFIED and why', () => {
    expect(m.verdict.status).toBe('NOT VERIFIED');
    expect(m.verdict.verified).toBe(false);
    expect(m.verdict.sentence).toMatch(/^NOT VERIFIED \(FAILED\): /);
    expect(m.verdict.outcome).toBe('FAILED');
    expect(m.verdict.sentence).toContain(
      '3 of 14 checks failed (Witness cosignatures; Revealed cleartext; Integrity on every re-check)',
    );
    expect(m.verdict.sentence).toContain('anchored to the authority key you supplied');
    const reasons = m.verdict.reasons.join('\n');
    expect(reasons).toContain('OPENING_INVALID at entry 12');
    expect(reasons).toContain('WITNESS_QUORUM');
    // In v2 a recorded mismatch is a warning (a fact the log states) that fails its check.
    expect(reasons).toContain('Integrity on every re-check — Entry 14 recorded');
    expect(m.problems.map((p) => p.text)).toContainEqual(
      expect.stringMatching(/^warning DIGEST_MISMATCH_RECORDED at entry 14 /),
    );
    expect(m.verdict.checksFailed).toBe(3);
  });

  it('claims nothing as proven, and never "continuous"', () => {
    expect(m.scope.proven).toEqual([]);
    expect(JSON.stringify(m.scope)).not.toMatch(/custody was continuous/);
    const np = m.scope.notProven.join('\n');
    expect(np).toContain('Authenticity of the record is NOT shown');
    expect(np).toContain('OPENING_INVALID at entry 12');
    expect(np).toContain('Continuity and integrity of custody are NOT shown');
    expect(np).toContain('1 of the 2 required witnesses cosigned it');
    for (const s of FIXED_NOT_PROVEN) expect(m.scope.notProven.some((x) => x.startsWith(s))).toBe(true);
  });

  it('marks the bad entry, the mismatch and the hand-overs concerned', () => {
    const e12 = m.custody.events.find((e) => e.seq === 12)!;
    expect(e12.flagged).toBe(true);
    expect(e12.problems.map((p) => p.code)).toEqual(['OPENING_INVALID']);
    const e14 = m.custody.events.find((e) => e.seq === 14)!;
    expect(e14.digestMismatch).toBe(true);
    expect(e14.rehash).toBe('MISMATCH');
    const h = m.custody.handovers;
    expect(h[1]!.problems).toEqual(['OPENING_INVALID']);
    expect(h[2]!.rehash).toBe('MISMATCH');
    expect(m.custody.story[5]).toContain('digest MISMATCH');
    expect(m.custody.story[5]).toContain('[FLAGGED');
    expect(m.checkpoint?.quorumMet).toBe(false);
    expect(m.checkpoint?.witnessesVerified).toBe(1);
  });

  it('declares nothing about a failed verification', () => {
    const text = m.certification.paragraphs.join('\n');
    expect(text).toContain('The result was NOT VERIFIED');
    expect(text).toContain('I make no declaration about the integrity or the continuity of custody');
    expect(text).not.toContain('The result was VERIFIED');
  });
});

describe('report model: partial failures block only what rests on them', () => {
  it('a recorded mismatch alone blocks continuity but not authenticity, file identity or witnesses', () => {
    const m = buildReportModel(caseVerdict({ mismatchOnly: true }), META);
    expect(m.verdict.status).toBe('NOT VERIFIED');
    const proven = m.scope.proven.join('\n');
    expect(proven).toContain('Authenticity of the record');
    expect(proven).toContain('Identity of the file');
    expect(proven).toContain('Independent confirmation');
    expect(proven).not.toMatch(/continuous|Integrity at hand-over/);
    expect(m.scope.notProven.join('\n')).toContain(
      'Continuity and integrity of custody are NOT shown. Reason: the check "Integrity on every re-check" failed',
    );
  });

  it('without an anchor nothing is proven, whatever the checks say', () => {
    const v = caseVerdict({ anchored: false });
    v.ok = true;
    const m = buildReportModel(v, META);
    expect(m.verdict.status).toBe('NOT VERIFIED');
    expect(m.verdict.anchored).toBe(false);
    expect(m.verdict.sentence).toContain('not anchored');
    expect(m.scope.proven).toEqual([]);
    expect(m.scope.notProven[0]).toContain('not anchored');
  });

  it('an unknown failed check counts as essential: nothing is proven', () => {
    const v = passVerdict();
    v.checks.push({ id: 'mystery', title: 'Mystery', verdict: 'fail', detail: 'something' });
    const m = buildReportModel(v, META);
    expect(m.verdict.status).toBe('NOT VERIFIED');
    expect(m.scope.proven).toEqual([]);
  });

  it('an inconsistent verdict (ok, but a check failed) is not verified', () => {
    const v = passVerdict();
    v.checks[2]!.verdict = 'fail';
    expect(v.ok).toBe(true);
    expect(buildReportModel(v, META).verdict.status).toBe('NOT VERIFIED');
  });

  it('ok=false without any reason is not verified and proves nothing', () => {
    const v = passVerdict();
    v.ok = false;
    const m = buildReportModel(v, META);
    expect(m.verdict.status).toBe('NOT VERIFIED');
    expect(m.scope.proven).toEqual([]);
  });

  it('a witness failure blocks only the witness claim', () => {
    const v = passVerdict();
    v.checkpoint!.witnesses[1]!.verified = false;
    v.checks.find((c) => c.id === 'witness-quorum')!.verdict = 'fail';
    v.ok = false;
    const m = buildReportModel(v, META);
    const proven = m.scope.proven.join('\n');
    expect(proven).toContain('custody was continuous');
    expect(proven).toContain('Completeness');
    expect(proven).not.toContain('Independent confirmation');
    expect(m.scope.notProven.join('\n')).toContain('only 1 of the 2 required witnesses');
  });

  it('a file that does not match is said not to be the evidence', () => {
    const v = passVerdict();
    v.file!.matches = false;
    v.file!.digests = { sha256: '00'.repeat(32) };
    const m = buildReportModel(v, META);
    expect(m.scope.proven.some((s) => s.includes('Identity of the file'))).toBe(false);
    expect(m.scope.notProven.join('\n')).toContain('its digests do NOT equal the registered ones');
  });

  it('no later event (the exhibit record at the checkpoint): proven when it passed, stated as missing when not checked or failed', () => {
    expect(buildReportModel(passVerdict(), META).scope.proven.join('\n')).toContain(
      'No later event: the state map committed in the checkpointed log names entry 14 as the last event of this exhibit among the first 17 entries',
    );
    const noHead = buildReportModel(caseVerdict({ noHead: true }), META);
    expect(noHead.verdict.status).toBe('VERIFIED');
    expect(noHead.scope.proven.join('\n')).not.toContain('No later event');
    expect(noHead.scope.notProven.join('\n')).toContain(
      "That entry 14 is this exhibit's last event up to the checkpoint: the bundle does not prove the exhibit record at the checkpoint",
    );
    expect(noHead.scope.notProven.join('\n')).toContain(
      'anything recorded after entry 14 (the last event shown)',
    );
    const bad = passVerdict();
    bad.checks.find((c) => c.id === 'history-complete')!.verdict = 'fail';
    bad.problems.push({
      code: 'EXHIBIT_RECORD_MISMATCH',
      severity: 'error',
      seq: null,
      exhibit: null,
      message: 'the exhibit record at the checkpoint is not the one the replay produces',
    });
    bad.ok = false;
    const m = buildReportModel(bad, META);
    expect(m.verdict.status).toBe('NOT VERIFIED');
    // Only the "no later event" claim rests on it.
    expect(m.scope.proven.join('\n')).toContain('custody was continuous');
    expect(m.scope.notProven.join('\n')).toContain('the exhibit record at the checkpoint did not verify');
  });

  it('no file: says that no file was compared', () => {
    const m = buildReportModel(caseVerdict({ noFile: true }), META);
    expect(m.verdict.status).toBe('VERIFIED');
    expect(m.verdict.sentence).toContain('13 checks passed (1 not performed: The file in hand)');
    expect(m.verdict.sentence).toContain('no evidence file was compared');
    expect(m.scope.notProven.join('\n')).toContain('no evidence file was compared');
  });
});

describe('report model: other shapes', () => {
  it('derived evidence: the lineage names the original and its custody', () => {
    const m = buildReportModel(derivedVerdict(), META);
    expect(m.identification?.parent).toBe(ORIGINAL_ID);
    expect(m.lineage.map((l) => l.relation)).toEqual(['this exhibit', 'derived from']);
    expect(m.lineage[1]!.exhibitId).toBe(ORIGINAL_ID);
    expect(m.lineage[1]!.periods.length).toBeGreaterThan(0);
    expect(m.scope.proven.join('\n')).toContain(
      `Lineage: this exhibit is recorded as derived from "HDD-01" (${ORIGINAL_ID}`,
    );
  });

  it('a single registration', () => {
    const m = buildReportModel(singleEventVerdict(), META);
    expect(m.custody.events).toHaveLength(1);
    expect(m.custody.handovers).toEqual([]);
    expect(m.scope.proven.join('\n')).toContain('the exhibit was never handed over');
  });

  it('a pending hand-over and a rejected one', () => {
    const w = buildWorld();
    const upTo13 = w.shown.filter((s) => s.index <= 13);
    const pending = passVerdict();
    pending.timeline = timelineOf(w, ORIGINAL, upTo13);
    let m = buildReportModel(pending, META);
    expect(m.custody.handovers[2]!.outcome).toBe('pending');
    expect(m.custody.finalState).toContain('in transit from KHK Anna Schmidt');
    expect(m.scope.proven.join('\n')).toContain('still awaiting acceptance');

    const reject = statement(
      w,
      14,
      'reject',
      'court',
      '2024-05-21T14:45:00Z',
      { reason: 'seal number does not match the EIO' },
      { exhibit: ORIGINAL, after: new Uint8Array(32) },
    );
    const rejected = passVerdict();
    rejected.timeline = timelineOf(w, ORIGINAL, [...upTo13, reject]);
    m = buildReportModel(rejected, META);
    expect(m.custody.handovers[2]).toMatchObject({
      outcome: 'rejected',
      outcomeNote: 'seal number does not match the EIO',
      acceptedByNamedReceiver: null,
    });
    expect(m.scope.proven.join('\n')).toContain('except 1 that was rejected or cancelled');
  });

  // A re-hash with only an algorithm that was not registered compares nothing: it must not read
  // "match", nor count as a receiver who re-computed the digest and found it matched.
  it('a re-hash in an algorithm that was not registered is not said to match', () => {
    const v = passVerdict();
    const accept = v.timeline!.events.find((e) => e.seq === 7)!;
    delete accept.details['recomputed sha256'];
    accept.details['recomputed sha512'] = 'ab'.repeat(64);
    const m = buildReportModel(v, META);
    expect(m.custody.handovers[0]!.rehash).toBe('not comparable');
    expect(m.scope.proven.join('\n')).not.toContain('3 of 3 receivers re-computed the digest');
  });

  it('an acceptance by someone other than the named receiver blocks continuity', () => {
    const v = passVerdict();
    const ev = v.timeline!.events.find((e) => e.seq === 14)!;
    ev.actor = { id: 'K-00000-00000', name: 'Somebody Else', org: 'Elsewhere', jurisdiction: 'FR' };
    const m = buildReportModel(v, META);
    expect(m.custody.handovers[2]!.acceptedByNamedReceiver).toBe(false);
    expect(m.scope.proven.join('\n')).not.toContain('continuous');
    expect(m.scope.notProven.join('\n')).toContain('accepted by someone other than the named receiver');
  });

  it('no exhibit, no timeline, no checkpoint', () => {
    const v = passVerdict();
    v.exhibit = null;
    v.timeline = null;
    v.checkpoint = null;
    v.ok = false;
    const m = buildReportModel(v, META);
    expect(m.identification).toBeNull();
    expect(m.verdict.status).toBe('NOT VERIFIED');
    expect(m.verdict.reasons.join('\n')).toContain('not found');
    expect(m.custody.events).toEqual([]);
    expect(m.scope.proven).toEqual([]);
  });

  it('a live-ledger verdict without a checkpoint proves completeness only within the copy', () => {
    const v = passVerdict();
    v.source = { kind: 'ledger', name: './custody-ledger' };
    v.checkpoint = null;
    v.checks = v.checks.filter((c) => !/checkpoint|inclusion|witness/.test(c.id));
    const m = buildReportModel(v, META);
    expect(m.verdict.status).toBe('VERIFIED');
    expect(m.scope.proven.join('\n')).toContain('Completeness within this copy');
    expect(m.scope.notProven.join('\n')).toContain('no signed checkpoint was verified');
    expect(m.certification.paragraphs.join('\n')).toContain('the custody ledger "./custody-ledger"');
  });
});

/** The keys of an object, recursively for the nested objects a report reads (arrays: their first element). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length > 0 ? [shape(v[0])] : [];
  if (v === null || typeof v !== 'object') return typeof v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
  );
}

describe('report model: a real v2 bundle verification', () => {
  const real = (async () => {
    const w = await bundleWorld('report ');
    const bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, await checkpointOf(w));
    return verify(bytes, pinAuthority(w));
  })();

  it('the fixtures have the shape verifyBundleV2 produces', async () => {
    const v: ExhibitVerdictV2 = await real;
    const f = passVerdict();
    const top = (x: object) => Object.keys(x).sort();
    expect(top(f)).toEqual(top(v));
    expect(shape(f.exhibit)).toMatchObject(shape(v.exhibit) as object);
    expect(shape(f.timeline!.events[0])).toMatchObject(shape(v.timeline!.events[0]) as object);
    expect(shape(f.timeline!.periods[0])).toEqual(shape(v.timeline!.periods[0]));
    expect(shape(f.actors[0])).toEqual(shape(v.actors[0]));
    expect(shape(f.openings[0])).toEqual(shape(v.openings[0]));
    expect(f.checks.map((c) => [c.id, c.title])).toEqual(v.checks.map((c) => [c.id, c.title]));
    expect(f.exhibit!.id).toMatch(/^EX-/);
    expect(f.timeline!.events[0]!.actor.id).toMatch(/^K-/);
  });

  it('is VERIFIED, anchored, and renders', async () => {
    const v = await real;
    const m = buildReportModel(v, META);
    expect(m.verdict.status).toBe('VERIFIED');
    expect(m.verdict.anchored).toBe(true);
    expect(m.identification?.label).toBe('HDD-01');
    expect(m.identification?.exhibitId).toBe(v.exhibit!.id);
    expect(m.custody.handovers.map((h) => [h.outcome, h.crossBorder, h.acceptedByNamedReceiver])).toEqual([
      ['accepted', true, true],
    ]);
    expect(m.lineage.map((l) => l.relation)).toEqual(['this exhibit', 'derived copy']);
    // Witnesses and the file were not given: said, not claimed.
    expect(m.checks.filter((c) => c.verdict === 'not-checked').map((c) => c.id)).toEqual([
      'witness-quorum',
      'file-digests',
    ]);
    expect(m.scope.notProven.join('\n')).toContain('no evidence file was compared');
  });
});

describe('report model: helpers', () => {
  it('formats times, falling back to UTC for unknown zones', () => {
    const ms = t('2024-07-01T12:00:00.250Z');
    expect(timeText(ms, 'America/Argentina/Buenos_Aires')).toMatchObject({
      utc: '2024-07-01 12:00:00.250 UTC',
      local: '2024-07-01 09:00:00.250 UTC-03:00 (America/Argentina/Buenos_Aires)',
      zoneKnown: true,
    });
    const u = timeText(ms, 'Mars/Olympus_Mons');
    expect(u.zoneKnown).toBe(false);
    expect(u.local).toBe('2024-07-01 12:00:00.250 UTC (time zone Mars/Olympus_Mons unknown here)');
    expect(timeText(ms, 'UTC').local).toBe('2024-07-01 12:00:00.250 UTC');
    expect(timeText(ms, 'Etc/GMT+1').local).toBe('2024-07-01 11:00:00.250 UTC-01:00 (Etc/GMT+1)');
    expect(timeText(Number.NaN, 'UTC').utc).toContain('invalid time');
    expect(timeText(9e15, 'Europe/Paris').utc).toContain('invalid time');
  });

  it('formats durations and sizes', () => {
    expect(durationText(0).text).toBe('0 s (same moment)');
    expect(durationText(45_000).text).toBe('45 s');
    expect(durationText(3_723_000).text).toBe('1 h 2 min');
    expect(durationText(86_400_000 * 40 + 3_600_000).text).toBe('40 days 1 h');
    expect(durationText(null).text).toContain('open');
    expect(durationText(-1).text).toContain('invalid');
    expect(sizeText(1).text).toBe('1 byte');
    expect(sizeText(1023).human).toBe('1,023 bytes');
    expect(sizeText(1536).human).toBe('1.50 KiB');
  });

  it('makes control and bidirectional characters visible', () => {
    expect(visible('a\u202Eb\u0007c\u001b[2J\nd\te\u200Bf\ud800')).toBe(
      'a[U+202E]b[U+0007]c[U+001B][2J\nd\te[U+200B]f[U+D800]',
    );
    expect(visible('Greffière 😀 NL→DE')).toBe('Greffière 😀 NL→DE');
  });

  it('classifies checks and problem codes', () => {
    expect(checkArea('witness-quorum')).toBe('witness');
    expect(checkArea('file-digest')).toBe('file');
    expect(checkArea('recorded-integrity')).toBe('recorded');
    expect(checkArea('checkpoint-signature')).toBe('checkpoint');
    expect(checkArea('entry-signatures')).toBe('core');
    expect(checkArea('anything-new')).toBe('core');
    expect(checkArea('history-complete')).toBe('head');
    expect(checkArea('file-digests')).toBe('file');
    for (const id of [
      'anchor',
      'records',
      'signatures',
      'signers',
      'custody-rules',
      'exhibit-links',
      'bundle-structure',
    ])
      expect(checkArea(id)).toBe('core');
    expect(checkArea('inclusion-proofs')).toBe('checkpoint');
    expect(problemArea('EXHIBIT_HEAD_MISMATCH')).toBe('head');
    expect(problemArea('EXHIBIT_RECORD_MISMATCH')).toBe('head');
    // The v1 head attestation is gone; an unknown code claims less (core).
    expect(problemArea('HEAD_ATTESTATION_INVALID')).toBe('core');
    expect(problemArea('OPENING_INVALID')).toBe('core');
    expect(checkArea('openings')).toBe('core');
    expect(problemArea('WITNESS_QUORUM')).toBe('witness');
    expect(problemArea('FILE_DIGEST_MISMATCH')).toBe('file');
    expect(problemArea('SEAL_BROKEN_RECORDED')).toBe('recorded');
    expect(problemArea('CHECKPOINT_SIGNATURE_INVALID')).toBe('checkpoint');
    expect(problemArea('CHECKPOINT_MISMATCH')).toBe('core');
    expect(problemArea('SIGNATURE_INVALID')).toBe('core');
  });

  it('src/report stays pure: no I/O imports', () => {
    const dir = new URL('../../src/report/', import.meta.url);
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.ts')) continue;
      const src = readFileSync(new URL(f, dir), 'utf8');
      const specifiers = [...src.matchAll(/(?:^|\n)(?:import|export)\b[^;]*?\bfrom\s+'([^']*)'/g)].map(
        (x) => x[1],
      );
      for (const spec of specifiers) expect(spec, f).toMatch(/^\.\.?\//);
      expect(src, f).not.toMatch(/\brequire\(|\bimport\(|\bfetch\(|\bprocess\./);
      expect(src, f).not.toMatch(/\bconsole\./);
    }
  });
});
