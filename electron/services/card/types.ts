import type { Logger } from '../log'
import type { CardAccess } from '../reader/types'

/** What identify() tells about the card in a reader. JSON-plain: it crosses IPC as is. */
export interface CardIdentity {
  /** ATR, lower-case hex (CM's `atr`). */
  atr: string
  /** cardid as the GUID text CM uses (lower case, no braces), or null on a blank or non-GIDS card. */
  cardId: string | null
  /** The card answered SELECT of the GIDS AID with 9000. */
  isGids: boolean
}

/** User PIN counters (DO 7F71). */
export interface PinStatus {
  triesLeft: number
  limit: number
}

/**
 * Computes the admin response for a card challenge: in production a CM `authenticationresponse`
 * call (a network round trip run INSIDE the card job, because the challenge dies with the
 * connection); in training/tests a local 3DES responder. The challenge buffer is zeroed as soon as
 * the promise settles (copy it if needed); the returned buffer is zeroed by the edge after use.
 */
export type AdminResponder = (challenge: Buffer) => Promise<Uint8Array>

/** Options shared by every admin-authenticated operation. */
export interface AdminAuthOptions {
  respond: AdminResponder
  /**
   * The cardid (GUID text) the operation is meant for. When given, it is read and compared BEFORE the
   * challenge, so a swapped card gets 'wrong-card' instead of a counted failed authentication.
   */
  expectCardId?: string
}

/** Admin rights inside one authenticated job (the card stays connected; no human prompt in here). */
export interface AdminSession {
  readonly reader: string
  /** PUT KEY with the new 24-byte admin key and its real KCV (gids-card-edge.md §6). */
  changeAdminKey(newKey: Uint8Array): Promise<void>
  /** RESET RETRY COUNTER with a new user PIN (§7.5). The card may drop admin rights afterwards. */
  resetUserPin(pin: Uint8Array | string): Promise<void>
}

/** Constructor dependencies of GidsCardEdge. */
export interface GidsCardEdgeOptions {
  access: CardAccess
  log: Logger
  /** Injected for tests (backoff between retries). */
  sleep?: (ms: number) => Promise<void>
  /** Injected for tests (durations in logs). */
  clock?: () => number
  /** Delays before each retry of a transient PC/SC failure; its length is the number of retries. */
  retryDelaysMs?: readonly number[]
}
