import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import type { Logger } from '../log'
import type { CardAccess } from '../reader/types'
import { isTransientCardError } from './card-errors'
import { CardSession, type JobState } from './card-session'
import { cardIdToGuid, guidToCardId, isGuid } from './cardid'
import * as files from './gids-file-ops'
import * as keys from './gids-key-ops'
import * as ops from './gids-ops'
import type {
  AdminAuthOptions,
  AdminSession,
  CardContainer,
  CardIdentity,
  GidsCardEdgeOptions,
  PinStatus,
  UserKeySession,
  UserPinOptions,
} from './types'

/** Default backoff for transient PC/SC failures right after insertion (sharing violation, reset…). */
const DEFAULT_RETRY_DELAYS_MS = [100, 300, 800] as const

/** PIN lengths the station will send: GIDS 4–16, TPM VSC up to 127 (gids-card-edge.md §7.1). */
const PIN_MIN = 4
const PIN_MAX = 127

/**
 * The host side of the GIDS card edge over raw PC/SC. Every operation is ONE short `withCard` job:
 * connect SHARED, SELECT, a few APDUs, disconnect LEAVE — never across a human prompt.
 *
 * Admin operations run the CM round trip (the responder) INSIDE the job: the challenge is volatile
 * and dies on reset, re-select or power-off, and pcscd powers an idle, unconnected card down after
 * ~0.5 s (pcsc-lab.md §2b), so it cannot survive between two jobs. Trade-off: the reader is held
 * for the duration of one CM call (bounded by the CM client's timeout); other jobs on the same
 * reader queue behind it. A network call is not a human prompt, so conventions §8 still holds.
 */
export class GidsCardEdge {
  private readonly access: CardAccess
  private readonly log: Logger
  private readonly sleep: (ms: number) => Promise<void>
  private readonly clock: () => number
  private readonly retryDelays: readonly number[]

  constructor(options: GidsCardEdgeOptions) {
    this.access = options.access
    this.log = options.log
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.clock = options.clock ?? Date.now
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  }

  /** ATR, cardid (CM GUID text) and whether the card is GIDS. A non-GIDS card is not an error here. */
  async identify(reader: string): Promise<CardIdentity> {
    return this.run(reader, 'identify', async (s) => {
      const atr = s.channel.atr
      if (!(await ops.selectApplication(s))) return { atr, cardId: null, isGids: false }
      const raw = await ops.readCardId(s)
      return { atr, cardId: raw ? cardIdToGuid(raw) : null, isGids: true }
    })
  }

  /** User PIN tries left and try limit (DO 7F71). */
  async pinStatus(reader: string): Promise<PinStatus> {
    return this.run(reader, 'pin-status', async (s) => {
      await ops.requireGids(s)
      return ops.readPinCounters(s)
    })
  }

  /** VERIFY the user PIN; throws 'wrong-pin' (with triesLeft) or 'pin-blocked'. Logs out afterwards. */
  async verifyPin(reader: string, pin: Uint8Array | string): Promise<void> {
    const bytes = pinBytes(pin)
    try {
      await this.run(reader, 'verify-pin', async (s) => {
        await ops.requireGids(s)
        try {
          await ops.verifyUserPin(s, bytes)
        } finally {
          await ops.logoutQuietly(s)
        }
      })
    } finally {
      zeroize(bytes)
    }
  }

  /** Containers, public keys and certificates on the card; no PIN (all readable by everyone, §4.3). */
  async listContainers(reader: string): Promise<CardContainer[]> {
    return this.run(reader, 'list-containers', async (s) => {
      await ops.requireGids(s)
      return files.listContainers(s)
    })
  }

  /**
   * One job: SELECT, [compare the cardid BEFORE anything counted → 'wrong-card'], VERIFY the user PIN
   * ('wrong-pin' with triesLeft / 'pin-blocked'), `then(session)`, log out. The session is only valid
   * inside `then` and must not wait for a human (conventions §8). Nothing after VERIFY is retried, except the one
   * clean re-run after a reset by another program (the PIN is kept for it, and zeroed when the job ends).
   */
  async withUserPin<T>(
    reader: string,
    options: UserPinOptions,
    then: (session: UserKeySession) => Promise<T>,
  ): Promise<T> {
    const expected = options.expectCardId === undefined ? null : expectedCardId(options.expectCardId)
    const pin = pinBytes(options.pin)
    try {
      return await this.run(reader, 'user-pin', async (s) => {
        await ops.requireGids(s)
        if (expected) await requireCardId(s, expected)
        await ops.verifyUserPin(s, pin)
        const session = userKeySession(s)
        try {
          return await then(session.api)
        } finally {
          session.close()
          await ops.logoutQuietly(s)
        }
      })
    } finally {
      zeroize(pin)
    }
  }

  /**
   * A fresh admin challenge (8 bytes; the caller zeroes it). Diagnostics and benchmarks only: the
   * challenge is dead once this job disconnects (the next job's SELECT clears it), so it can never
   * be answered — use authenticateAdmin / changeAdminKey / setUserPin for real work.
   */
  async getAdminChallenge(reader: string): Promise<Buffer> {
    return this.run(reader, 'admin-challenge', async (s) => {
      await ops.requireGids(s)
      return ops.requestChallenge(s)
    })
  }

  /**
   * In one job: SELECT, [check the cardid], MSE + challenge, `respond(challenge)` (e.g. the CM call),
   * GA with the response, then `then(admin)`, then log out. Wrong response → 'auth-failed' (with
   * triesLeft when the card counts). Nothing after the response is sent is ever retried.
   */
  async authenticateAdmin<T>(
    reader: string,
    options: AdminAuthOptions,
    then: (admin: AdminSession) => Promise<T>,
  ): Promise<T> {
    const expected = options.expectCardId === undefined ? null : expectedCardId(options.expectCardId)
    return this.run(reader, 'admin', async (s) => {
      await ops.requireGids(s)
      if (expected) await requireCardId(s, expected)
      const challenge = await ops.requestChallenge(s)
      let response: Uint8Array
      try {
        response = await options.respond(challenge)
      } finally {
        zeroize(challenge)
      }
      try {
        if (response.length !== 8) {
          // Never send a malformed response: the card would count it as a failed authentication.
          throw new StationError('auth-failed', {}, `responder gave ${response.length} bytes, not 8`)
        }
        await ops.submitResponse(s, response)
      } finally {
        zeroize(response)
      }
      try {
        return await then(adminSession(s))
      } finally {
        await ops.logoutQuietly(s)
      }
    })
  }

  /** Admin-authenticate (e.g. with CM's diversified=false response) and write a new admin key. */
  async changeAdminKey(reader: string, options: AdminAuthOptions & { newKey: Uint8Array }): Promise<void> {
    // Checked before the job: a bad key must not cost an admin authentication.
    if (options.newKey.length !== 24)
      throw new StationError('invalid-request', {}, 'admin key must be 24 bytes')
    const key = Buffer.from(options.newKey)
    try {
      await this.authenticateAdmin(reader, options, (admin) => admin.changeAdminKey(key))
    } finally {
      zeroize(key)
    }
  }

  /** Admin-authenticate and set (reset/unblock) the user PIN with RESET RETRY COUNTER (§7.5). */
  async setUserPin(reader: string, options: AdminAuthOptions & { pin: Uint8Array | string }): Promise<void> {
    const bytes = pinBytes(options.pin) // checked before the job, like the key above
    try {
      await this.authenticateAdmin(reader, options, (admin) => admin.resetUserPin(bytes))
    } finally {
      zeroize(bytes)
    }
  }

  /**
   * Run one job with retries of transient PC/SC failures (sharing violation, card reset, "Transaction
   * failed" right after insertion) — but only while nothing state-changing has been sent. Every
   * attempt starts with SELECT, which is the re-select a reset requires (§10.2).
   */
  private async run<T>(reader: string, op: string, job: (s: CardSession) => Promise<T>): Promise<T> {
    const started = this.clock()
    let first: unknown = null
    let resetRetried = false
    for (let attempt = 0; ; attempt++) {
      const state: JobState = { committed: false, apdus: 0 }
      try {
        const value = await this.access.withCard(reader, (channel) =>
          job(new CardSession(channel, state, this.log)),
        )
        this.log.info('card: operation done', {
          op,
          reader,
          attempts: attempt + 1,
          apdus: state.apdus,
          ms: this.clock() - started,
        })
        return value
      } catch (error) {
        first ??= error
        if (isCode(error, 'card-reset') && !resetRetried) {
          // Another program reset the card: PC/SC refused the command on the stale handle, so it never reached
          // the card and no retry counter moved — even for a committing command. Once, cleanly: reconnect, SELECT,
          // a new challenge (and CM response); a second reset is reported (field report, card reset).
          resetRetried = true
          this.log.info('card: card reset by another program, running the job again once', { op, reader })
          await this.sleep(this.retryDelays[0] ?? 100)
          continue
        }
        const delay = this.retryDelays[attempt]
        if (
          delay !== undefined &&
          !state.committed &&
          !isCode(error, 'card-reset') &&
          isTransientCardError(error)
        ) {
          this.log.info('card: transient failure, retrying', { op, reader, attempt: attempt + 1, error })
          await this.sleep(delay)
          continue
        }
        // A retry after a removal disguised as "Transaction failed" finds no card: report the removal.
        const final =
          first !== error && isCode(error, 'no-card') && isCode(first, 'card-removed') ? first : error
        this.log.info('card: operation failed', {
          op,
          reader,
          code: final instanceof StationError ? final.code : 'internal',
          error: final,
          ms: this.clock() - started,
        })
        throw final
      }
    }
  }
}

function adminSession(s: CardSession): AdminSession {
  return {
    reader: s.reader,
    changeAdminKey: async (newKey) => {
      if (newKey.length !== 24) throw new StationError('invalid-request', {}, 'admin key must be 24 bytes')
      await ops.writeAdminKey(s, newKey)
    },
    resetUserPin: async (pin) => {
      const bytes = pinBytes(pin)
      try {
        await ops.writeUserPin(s, bytes)
      } finally {
        zeroize(bytes)
      }
    },
  }
}

/**
 * The user-key rights of one job. Calls are serialised (one APDU sequence at a time, conventions §8)
 * and refused with 'internal' once the job has ended (a kept reference must not reach a later card).
 */
function userKeySession(s: CardSession): { api: UserKeySession; close: () => void } {
  let open = true
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => {
      if (!open) throw new StationError('internal', {}, 'user key session used after its job ended')
      return op()
    })
    queue = next.catch(() => undefined)
    return next
  }
  const api: UserKeySession = {
    reader: s.reader,
    generateKey: (spec) => serial(() => keys.generateKey(s, spec)),
    // The key bytes are zeroed even when the call is refused before it reaches the card.
    importKey: (spec) => serial(() => keys.importKey(s, spec)).finally(() => zeroize(spec.pkcs8)),
    signDigest: (container, algorithm, digest) =>
      serial(() => keys.signDigest(s, container, algorithm, digest)),
    writeCertificate: (container, der) => serial(() => files.writeCertificate(s, container, der)),
    listContainers: () => serial(() => files.listContainers(s)),
  }
  return { api, close: () => void (open = false) }
}

/** Read the cardid and refuse another card before anything is counted (§4.4). */
async function requireCardId(s: CardSession, expected: Buffer): Promise<void> {
  const actual = await ops.readCardId(s)
  if (actual === null || !actual.equals(expected))
    throw new StationError('wrong-card', {}, `reader ${s.reader}`)
}

/** A private copy of the PIN as bytes (ASCII/UTF-8 as typed, no padding, §7.1), length-checked. */
function pinBytes(pin: Uint8Array | string): Buffer {
  const bytes = typeof pin === 'string' ? Buffer.from(pin, 'utf8') : Buffer.from(pin)
  if (bytes.length < PIN_MIN || bytes.length > PIN_MAX) {
    zeroize(bytes)
    throw new StationError('invalid-request', {}, `PIN must be ${PIN_MIN}-${PIN_MAX} bytes`)
  }
  return bytes
}

function expectedCardId(guid: string): Buffer {
  if (!isGuid(guid)) throw new StationError('invalid-request', {}, 'expectCardId is not a GUID')
  return guidToCardId(guid)
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof StationError && error.code === code
}
