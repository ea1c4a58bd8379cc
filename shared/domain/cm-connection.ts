import type { ErrorCode } from '../errors'

/**
 * Whether the station can reach and sign in to Certificate Management right now, from its connection check (one
 * cheap authenticated read: E01, see electron/services/cm/connection.ts):
 * - `checking`: a check is running (the renderer keeps showing the last result beside it);
 * - `connected`: CM answered the read — the desk's Windows sign-in works and the API is enabled;
 * - `sign-in-failed`: CM (IIS) answered 401: the Windows sign-in was refused (`windows-sign-in-failed`);
 * - `unreachable`: no answer — name resolution, TCP, TLS, proxy, or the timeout (`network`, `timeout`);
 * - `server-error`: CM answered, but not with the list: API disabled or wrong address (`not-found`), 403, 5xx, an
 *   answer that is not CM's JSON (`invalid-response`).
 */
export type CmConnectionState = 'checking' | 'connected' | 'sign-in-failed' | 'unreachable' | 'server-error'

/** The `cm:connection-changed` payload and the `cm:check-connection` / `cm:connection-status` answer. No secrets. */
export interface CmConnectionStatus {
  state: CmConnectionState
  /** `host[:port]` of the CM web application root (the built-in simulator's loopback address in training mode). */
  host: string
  /** Training mode: the "server" is the built-in simulator, not Certificate Management. */
  training: boolean
  /** When the check that produced this state finished (ISO 8601, station clock); null while the first one runs. */
  checkedAt: string | null
  /** The closed error code behind a failed state (`windows-sign-in-failed`, `network`, `not-found`, …). */
  code?: ErrorCode
  /** CM's correlation id of a server-side failure (§1.7), for the operator to quote to the CM administrator. */
  correlationId?: string
}
