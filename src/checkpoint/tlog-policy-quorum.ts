/**
 * What a C2SP tlog-policy file (./tlog-policy.ts parses it) says about a
 * checkpoint: whether the witnesses that cosigned meet its quorum, how many
 * more would, and whether it lists a log key (tlog-policy §Defining a witness
 * group, §Defining a log).
 */
import { equalBytes } from '../bytes.js';
import { TLOG_POLICY_NONE, type TlogPolicy, type TlogPolicyGroup } from './tlog-policy.js';

/**
 * For each name of the policy, a value computed bottom-up in definition
 * order: a witness's from `leaf`, a group's from its members' values. A
 * member not defined before its group (only in a policy built by hand) gets
 * `missing`.
 */
function evaluate<T>(
  policy: TlogPolicy,
  leaf: (name: string) => T,
  group: (g: TlogPolicyGroup, members: T[]) => T,
  missing: T,
): Map<string, T> {
  const value = new Map<string, T>();
  for (const w of policy.witnesses) value.set(w.name, leaf(w.name));
  for (const g of policy.groups)
    value.set(
      g.name,
      group(
        g,
        g.members.map((m) => value.get(m) ?? missing),
      ),
    );
  return value;
}

/**
 * Whether the witnesses named (by their policy names) meet the policy's
 * quorum (tlog-policy §Defining a witness group): a witness witnesses a
 * checkpoint iff it cosigned it; a group iff at least k of its members
 * witnessed it; `quorum none` is always met. Names that are not witnesses of
 * the policy count for nothing. Monotone: naming more witnesses never turns a
 * met quorum unmet.
 */
export function quorumSatisfied(policy: TlogPolicy, cosignedWitnessNames: ReadonlySet<string>): boolean {
  if (policy.quorum === TLOG_POLICY_NONE) return true;
  const met = evaluate<boolean>(
    policy,
    (name) => cosignedWitnessNames.has(name),
    (g, members) => members.filter(Boolean).length >= g.threshold,
    false,
  );
  return met.get(policy.quorum) ?? false;
}

/**
 * The fewest further witnesses of the policy whose cosignatures, with those
 * named, would meet the quorum: 0 when it is met; with no one named, the
 * smallest quorum there is. Exact for a parsed policy, where each name is a
 * member of at most one group so the groups form a forest: a group needs the
 * k cheapest of its members. Infinity if the quorum cannot be met at all (a
 * policy built by hand that names what it does not define).
 */
export function witnessesNeeded(policy: TlogPolicy, cosignedWitnessNames: ReadonlySet<string>): number {
  if (policy.quorum === TLOG_POLICY_NONE) return 0;
  const cost = evaluate<number>(
    policy,
    (name) => (cosignedWitnessNames.has(name) ? 0 : 1),
    (g, members) =>
      members
        .sort((x, y) => x - y)
        .slice(0, g.threshold)
        .reduce((s, c) => s + c, g.threshold > members.length ? Number.POSITIVE_INFINITY : 0),
    Number.POSITIVE_INFINITY,
  );
  return cost.get(policy.quorum) ?? Number.POSITIVE_INFINITY;
}

/**
 * Whether the policy lists the Ed25519 log key `publicKey` for the log
 * `origin`: tlog-policy §Defining a log, "The log's vkey includes a 'key
 * name'. This name MUST correspond to the log's origin line".
 */
export function listsLog(policy: TlogPolicy, origin: string, publicKey: Uint8Array): boolean {
  return policy.logs.some((l) => l.verifier.name === origin && equalBytes(l.verifier.publicKey, publicKey));
}
