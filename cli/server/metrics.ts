/**
 * The server's metrics in the Prometheus text exposition format (version
 * 0.0.4), at GET /metrics (docs/SERVER.md §Operations). A handful of counters
 * and one histogram need no client library. No label carries personal data or
 * a key.
 */

/** Upper bounds of the append latency buckets, in milliseconds. */
const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

export class Metrics {
  appends = 0;
  readonly requests = new Map<number, number>();
  readonly #buckets = BUCKETS_MS.map(() => 0);
  #count = 0;
  #sumMs = 0;
  /** Witness origin -> whether its last submission succeeded, and when (POSIX seconds). */
  readonly witnesses = new Map<string, { up: boolean; at: number }>();

  observeLatency(ms: number): void {
    this.#count++;
    this.#sumMs += ms;
    BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) this.#buckets[i]! += 1;
    });
  }

  countRequest(status: number): void {
    this.requests.set(status, (this.requests.get(status) ?? 0) + 1);
  }

  /** `splitViews`: peer logs this server saw sign two trees of one size (witness or auditor). */
  text(tree: { latest: { size: number } | undefined; refusal: string | undefined }, splitViews = 0): string {
    const l: string[] = [];
    const metric = (name: string, type: string, help: string) =>
      l.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    metric('custody_appends_total', 'counter', 'Statements appended (duplicates not counted).');
    l.push(`custody_appends_total ${this.appends}`);
    metric(
      'custody_append_latency_seconds',
      'histogram',
      'Time from receiving an append request to its acknowledgement.',
    );
    for (const [i, b] of BUCKETS_MS.entries())
      l.push(`custody_append_latency_seconds_bucket{le="${b / 1000}"} ${this.#buckets[i]}`);
    l.push(`custody_append_latency_seconds_bucket{le="+Inf"} ${this.#count}`);
    l.push(`custody_append_latency_seconds_sum ${this.#sumMs / 1000}`);
    l.push(`custody_append_latency_seconds_count ${this.#count}`);
    metric('custody_tree_size', 'gauge', 'Entries covered by the latest signed checkpoint.');
    l.push(`custody_tree_size ${tree.latest?.size ?? 0}`);
    metric(
      'custody_signing_refused',
      'gauge',
      '1 while the server refuses to sign (its store does not extend what it signed).',
    );
    l.push(`custody_signing_refused ${tree.refusal === undefined ? 0 : 1}`);
    metric('custody_http_requests_total', 'counter', 'HTTP requests answered, by status.');
    for (const [status, n] of [...this.requests].sort((a, b) => a[0] - b[0]))
      l.push(`custody_http_requests_total{status="${status}"} ${n}`);
    metric('custody_witness_up', 'gauge', '1 if the last submission to this witness succeeded.');
    for (const [origin, w] of this.witnesses)
      l.push(`custody_witness_up{witness="${origin.replace(/["\\\n]/g, '_')}"} ${w.up ? 1 : 0}`);
    metric(
      'custody_split_views',
      'gauge',
      'Peer logs this server was shown two checkpoints of one size with different roots (evidence kept).',
    );
    l.push(`custody_split_views ${splitViews}`);
    return `${l.join('\n')}\n`;
  }
}
