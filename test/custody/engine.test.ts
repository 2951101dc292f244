import { describe, expect, it } from 'vitest';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { replayEntries } from '../../src/verify/entries.js';
import { seededSigner } from '../helpers/world.js';
import {
  digestOf,
  enrolActor,
  idOf,
  makeV2World,
  seenNow,
  sign,
  submitOk,
  T0,
  type V2World,
} from './v2-world.js';

async function refusedWith(w: V2World, bytes: Uint8Array): Promise<string> {
  const before = w.seq.state.map.root;
  const size = w.seq.size;
  const r = await w.seq.submit(bytes);
  if (r.ok) return 'accepted';
  // A refused statement changes nothing: not the map, not the log.
  expect(w.seq.state.map.root).toEqual(before);
  expect(w.seq.size).toBe(size);
  return r.violation.code;
}

async function registered(w: V2World, label = 'HDD-01', extra: Record<string, unknown> = {}) {
  const s = sign(
    'register',
    w.collector,
    {
      label,
      caseRef: 'NL-2026-0042',
      description: 'Laptop disk image',
      digests: digestOf(label),
      size: 1000,
      ...extra,
    },
    {},
    { time: w.now.t },
  );
  await submitOk(w, s);
  return s.id;
}

describe('v2 engine: the custody rules over the state map', () => {
  it('a cross-border life of an exhibit appends, and the replay agrees on every map root', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    const t = sign(
      'transfer',
      w.collector,
      { to: idOf(w.deCustodian), reason: 'EIO', legalBasis: 'EIO DE-1' },
      { exhibit: x, after: x },
    );
    await submitOk(w, t);
    const a = sign(
      'accept',
      w.deCustodian,
      { digests: digestOf('HDD-01'), seal: 'intact' },
      { exhibit: x, after: t.id },
    );
    await submitOk(w, a);
    const e = sign(
      'examine',
      w.deCustodian,
      { action: 'Carving', tool: 'X-Ways 21' },
      { exhibit: x, after: a.id },
    );
    await submitOk(w, e);
    const copy = sign(
      'register',
      w.deCustodian,
      {
        label: 'HDD-01-W',
        caseRef: 'NL-2026-0042',
        description: 'Working copy',
        digests: digestOf('HDD-01'),
        size: 1000,
      },
      { exhibit: x, after: e.id },
    );
    await submitOk(w, copy);
    const d = sign(
      'dispose',
      w.deCustodian,
      { method: 'destroyed', reason: 'Working copy no longer needed' },
      { exhibit: copy.id, after: copy.id },
    );
    await submitOk(w, d);

    const items = await logItems(w);
    const r = await replayEntries(items);
    expect(r.problems).toEqual([]);
    expect(r.size).toBe(w.seq.size);
    expect(r.root).toEqual(w.seq.frontier.root());
    expect(r.mapRoot).toEqual(w.seq.state.map.root);
    expect(w.seq.state.get('exhibit', x)).toMatchObject({
      state: 'held',
      holder: idOf(w.deCustodian),
      head: copy.id,
    });
    expect(w.seq.state.get('exhibit', copy.id)).toMatchObject({ state: 'disposed', parent: x });
    expect(w.seq.state.lookup('label', ['NL-2026-0042', 'hdd-01'])).toEqual([x]);
  });

  it('refuses what breaks a rule, with its code, and changes nothing', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    const to = (who: typeof w.collector, extra = {}) =>
      sign('transfer', who, { to: idOf(w.deCustodian), reason: 'r', ...extra }, { exhibit: x, after: x });
    expect(await refusedWith(w, to(w.collector).bytes)).toBe('LEGAL_BASIS_MISSING');
    expect(await refusedWith(w, to(w.examiner, { legalBasis: 'EIO' }).bytes)).toBe('NOT_HOLDER');
    expect(
      await refusedWith(
        w,
        sign('transfer', w.collector, { to: idOf(w.collector), reason: 'r' }, { exhibit: x, after: x }).bytes,
      ),
    ).toBe('TRANSFER_TO_SELF');
    expect(
      await refusedWith(
        w,
        sign(
          'transfer',
          w.collector,
          { to: idOf(seededSigner('nobody')), reason: 'r' },
          { exhibit: x, after: x },
        ).bytes,
      ),
    ).toBe('RECEIVER_UNKNOWN');
    expect(
      await refusedWith(w, sign('examine', w.collector, { action: 'look' }, { exhibit: x, after: x }).bytes),
    ).toBe('NOT_PERMITTED');
    expect(await refusedWith(w, sign('accept', w.deCustodian, {}, { exhibit: x, after: x }).bytes)).toBe(
      'NO_PENDING_TRANSFER',
    );
    expect(
      await refusedWith(
        w,
        sign('examine', w.examiner, { action: 'look' }, { exhibit: x, after: new Uint8Array(32) }).bytes,
      ),
    ).toBe('EXHIBIT_LINK_BROKEN');
    expect(
      await refusedWith(
        w,
        sign('examine', w.examiner, { action: 'look' }, { exhibit: new Uint8Array(32), after: x }).bytes,
      ),
    ).toBe('EXHIBIT_UNKNOWN');
    // The same bytes again, under another label: refused unless the signer says so in the body.
    const again = sign('register', w.collector, {
      label: 'HDD-02',
      caseRef: 'C',
      description: 'd',
      digests: digestOf('HDD-01'),
      size: 1,
    });
    expect(await refusedWith(w, again.bytes)).toBe('DUPLICATE_DIGEST');
    const knowingly = sign('register', w.collector, {
      label: 'HDD-02',
      caseRef: 'C',
      description: 'd',
      digests: digestOf('HDD-01'),
      size: 1,
      duplicate: true,
    });
    expect(await refusedWith(w, knowingly.bytes)).toBe('accepted');
    expect(await refusedWith(w, knowingly.bytes)).toBe('STATEMENT_DUPLICATE');
    const t = to(w.collector, { legalBasis: 'EIO' });
    await submitOk(w, t);
    expect(await refusedWith(w, t.bytes)).toBe('STATEMENT_DUPLICATE');
    expect(await refusedWith(w, sign('accept', w.court, {}, { exhibit: x, after: t.id }).bytes)).toBe(
      'NOT_RECEIVER',
    );
    expect(
      await refusedWith(w, sign('examine', w.collector, { action: 'a' }, { exhibit: x, after: t.id }).bytes),
    ).toBe('EXHIBIT_IN_TRANSIT');
    // Time: ahead of the log's clock beyond the skew, or older than the late-submission window.
    expect(
      await refusedWith(
        w,
        sign(
          'register',
          w.collector,
          { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('late'), size: 1 },
          {},
          { time: w.now.t + 3_600_000 },
        ).bytes,
      ),
    ).toBe('CLAIMED_TIME_AHEAD');
    expect(
      await refusedWith(
        w,
        sign(
          'register',
          w.collector,
          { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('late'), size: 1 },
          {},
          { time: T0 - 40 * 86_400_000 },
        ).bytes,
      ),
    ).toBe('SUBMITTED_TOO_LATE');
    expect(
      await refusedWith(
        w,
        sign(
          'register',
          w.collector,
          { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('x'), size: 1 },
          {},
          { origin: 'ledger.bka.example/2026' },
        ).bytes,
      ),
    ).toBe('ORIGIN_MISMATCH');
  });

  it('governance: seen, the ledger chain, key uniqueness, revocation and co-signed rotation', async () => {
    const w = await makeV2World();
    const stranger = seededSigner('stranger');
    const enrol = (
      links: { after: Uint8Array; seen?: { size: number; root: Uint8Array } },
      key = stranger,
      by = w.authority,
      roles = ['custodian'],
    ) =>
      sign(
        'enrol',
        by,
        {
          key: [KEY_TYPES.ed25519, key.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles,
          jurisdiction: 'NL',
          name: 'S',
          org: 'O',
        },
        links,
      );
    const seen = await seenNow(w);
    expect(await refusedWith(w, enrol({ after: w.ledgerHead }).bytes)).toBe('SEEN_MISSING');
    expect(
      await refusedWith(
        w,
        enrol({ after: w.ledgerHead, seen: { size: seen.size + 1, root: seen.root } }).bytes,
      ),
    ).toBe('SEEN_AHEAD');
    expect(
      await refusedWith(
        w,
        enrol({ after: w.ledgerHead, seen: { size: seen.size, root: new Uint8Array(32) } }).bytes,
      ),
    ).toBe('SEEN_MISMATCH');
    expect(await refusedWith(w, enrol({ after: new Uint8Array(32), seen }).bytes)).toBe('LEDGER_LINK_BROKEN');
    expect(await refusedWith(w, enrol({ after: w.ledgerHead, seen }, w.collector).bytes)).toBe('KEY_IN_USE');
    expect(await refusedWith(w, enrol({ after: w.ledgerHead, seen }, w.log).bytes)).toBe('KEY_IN_USE');
    expect(await refusedWith(w, enrol({ after: w.ledgerHead, seen }, stranger, w.collector).bytes)).toBe(
      'NOT_REGISTRAR',
    );
    // An older checkpoint is fine: seen is what the signer verified, not the head.
    const ok = enrol({ after: w.ledgerHead, seen: { size: 2, root: await w.seq.rootAt(2) } });
    expect(await refusedWith(w, ok.bytes)).toBe('accepted');
    w.ledgerHead = ok.id;

    const x = await registered(w);
    const revoke = sign(
      'revoke',
      w.authority,
      { key: idOf(w.collector), reason: 'Left' },
      { after: w.ledgerHead, seen: await seenNow(w) },
    );
    await submitOk(w, revoke);
    w.ledgerHead = revoke.id;
    expect(
      await refusedWith(
        w,
        sign('transfer', w.collector, { to: idOf(w.examiner), reason: 'r' }, { exhibit: x, after: x }).bytes,
      ),
    ).toBe('ACTOR_REVOKED');

    const next = seededSigner('next authority');
    const rotateAlone = sign(
      'rotate',
      w.authority,
      { key: [KEY_TYPES.ed25519, next.publicKey] },
      { after: w.ledgerHead, seen: await seenNow(w) },
    );
    // Unsigned by the new key: the statement is refused before the rules (its signatures are incomplete).
    expect(await refusedWith(w, rotateAlone.bytes)).toBe('STATEMENT_SIGNATURE_INVALID');
    const rotate = sign(
      'rotate',
      w.authority,
      { key: [KEY_TYPES.ed25519, next.publicKey] },
      { after: w.ledgerHead, seen: await seenNow(w) },
      { cosigners: [next] },
    );
    await submitOk(w, rotate);
    w.ledgerHead = rotate.id;
    // The old authority is retired: it can no longer enrol anyone.
    const another = seededSigner('another');
    expect(await refusedWith(w, enrol({ after: w.ledgerHead, seen: await seenNow(w) }, another).bytes)).toBe(
      'ACTOR_REVOKED',
    );
    expect(
      await refusedWith(w, enrol({ after: w.ledgerHead, seen: await seenNow(w) }, another, next).bytes),
    ).toBe('accepted');
    const r = await replayEntries(await logItems(w));
    expect(r.problems).toEqual([]);
  });

  it('genesis: first only, and never with the authority key as the log key', async () => {
    const { Sequencer } = await import('../../src/ledger/sequencer.js');
    const seq = new Sequencer(() => T0);
    const a = seededSigner('g authority');
    const g = (logKey: Uint8Array) =>
      sign(
        'genesis',
        a,
        { name: 'L', jurisdiction: 'NL', org: 'O', logKey: [KEY_TYPES.ed25519, logKey] },
        {},
        { time: T0 },
      );
    const first = await seq.submit(g(a.publicKey).bytes);
    expect(first.ok ? 'accepted' : first.violation.code).toBe('LOG_KEY_IS_AUTHORITY');
    const reg = sign(
      'register',
      a,
      { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('g'), size: 1 },
      {},
      { time: T0 },
    );
    const early = await seq.submit(reg.bytes);
    expect(early.ok ? 'accepted' : early.violation.code).toBe('GENESIS_MISSING');
    expect((await seq.submit(g(seededSigner('g log').publicKey).bytes)).ok).toBe(true);
    const second = await seq.submit(g(seededSigner('g log 2').publicKey).bytes);
    expect(second.ok ? 'accepted' : second.violation.code).toBe('GENESIS_NOT_FIRST');
  });

  it('the replay reports a swapped payload and a damaged entry', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    await enrolActor(w, seededSigner('late joiner'), ['custodian'], 'NL', 'Late');
    const items = await logItems(w);
    // Swap a payload: the entry no longer commits to it.
    const swapped = items.map((it, i) => (i === 5 ? { ...it, payload: items[6]!.payload } : it));
    const r1 = await replayEntries(swapped);
    expect(r1.problems.map((p) => [p.index, p.code])).toEqual([
      [5, 'PAYLOAD_HASH_MISMATCH'],
      [5, 'MAP_ROOT_MISMATCH'],
      // The later entry is judged on its own merits (accepted); its root includes the missing
      // registration, but the divergence that began at entry 5 is not reported again.
    ]);
    // Bit-flip an entry: undecodable, reported, and the tree root differs.
    const flipped = items.map((it, i) => (i === 3 ? { ...it, entry: it.entry.slice(0, -1) } : it));
    const r2 = await replayEntries(flipped);
    expect(r2.problems[0]).toMatchObject({ index: 3, code: 'ENTRY_MALFORMED' });
    expect(r2.root).not.toEqual(w.seq.frontier.root());
    expect(x).toHaveLength(32);
  });
});

/** The log as (entry, payload) pairs, as a store or a bundle would hand them to the verifier. */
async function logItems(w: V2World) {
  return w.seq.log.map((s) => ({ entry: s.entry, payload: s.payload }));
}
