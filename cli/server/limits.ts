/**
 * The server's HTTP limits (docs/SERVER.md §Configuration). In a module of their own, not in
 * app.ts, so that reading a configuration loads no HTTP framework (every CLI command would).
 */
export interface Limits {
  /** Largest request body, in bytes. */
  bodyBytes: number;
  /** Largest request header block, in bytes. */
  headerBytes: number;
  /** Milliseconds a request may take to arrive whole. */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection is kept. */
  idleTimeoutMs: number;
  /** Concurrent connections; more are refused. */
  maxConnections: number;
  /**
   * Largest manifest handed over (PUT /v1/manifests/…), in bytes: a phone
   * extraction of a million files has one of some 100 MB; it is held in
   * memory while it is checked.
   */
  manifestBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  bodyBytes: 8 << 20,
  headerBytes: 16 << 10,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
  maxConnections: 1024,
  manifestBytes: 256 << 20,
};
