/**
 * Epochs: which nodes the live map may change in place, and when the nodes it
 * replaced can go (docs/STATE-MAP.md §Snapshots).
 *
 * Every node records the epoch it was born in. snapshot() closes the current
 * epoch s (the snapshot sees exactly the nodes born at or before s that are in
 * the tree at that moment) and opens s + 1. From then on, a node born at or
 * before the newest live snapshot is frozen: the map clones it before changing
 * it (path copying) and retires the original. A retired node born in b and
 * retired in epoch r is seen by exactly the snapshots s with b <= s < r; once
 * none of those is live it is freed.
 *
 * With no live snapshot nothing is frozen, so the only cost is one comparison
 * per update (./map.ts, thaw).
 */
export class Epochs {
  /** The epoch of nodes created now. */
  current = 0;
  /** The newest live snapshot's epoch, or -1: nodes born at or before it are frozen. */
  frozenUpTo = -1;
  /** Epochs of live snapshots, ascending. */
  private readonly live: number[] = [];
  private retiredRef: number[] = [];
  private retiredBorn: number[] = [];
  private retiredAt: number[] = [];

  /** Opens a snapshot of the current epoch; returns that epoch. */
  take(): number {
    const s = this.current++;
    this.live.push(s);
    this.frozenUpTo = s;
    return s;
  }

  /** Records a node that left the live tree while some snapshot may still see it. */
  retire(ref: number, born: number): void {
    this.retiredRef.push(ref);
    this.retiredBorn.push(born);
    this.retiredAt.push(this.current);
  }

  get retiredCount(): number {
    return this.retiredRef.length;
  }

  get liveSnapshots(): number {
    return this.live.length;
  }

  /** Ends snapshot s; calls free(ref) for every retired node no live snapshot sees any more. */
  release(s: number, free: (ref: number) => void): void {
    const i = this.live.indexOf(s);
    if (i < 0) return;
    this.live.splice(i, 1);
    this.frozenUpTo = this.live.length > 0 ? this.live[this.live.length - 1]! : -1;
    const refs: number[] = [];
    const borns: number[] = [];
    const ats: number[] = [];
    for (let k = 0; k < this.retiredRef.length; k++) {
      const born = this.retiredBorn[k]!;
      const at = this.retiredAt[k]!;
      if (this.seen(born, at)) {
        refs.push(this.retiredRef[k]!);
        borns.push(born);
        ats.push(at);
      } else free(this.retiredRef[k]!);
    }
    this.retiredRef = refs;
    this.retiredBorn = borns;
    this.retiredAt = ats;
  }

  /** Is some live snapshot s in [born, at)? */
  private seen(born: number, at: number): boolean {
    const live = this.live;
    let lo = 0;
    let hi = live.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (live[mid]! < born) lo = mid + 1;
      else hi = mid;
    }
    return lo < live.length && live[lo]! < at;
  }
}
