import { timingSafeEqual } from 'node:crypto'
import { adminResponse, zeroize } from '../../services/crypto/des'
import { guidFromBytes, normCardId } from './guid'
import { SeededRng } from './rng'

/**
 * SIM-C7: a minimal virtual card double for CM-client tests and training, without PC/SC. It keeps a CardID,
 * ATR, 24-byte admin key, user PIN and retry counters, and checks admin responses exactly like a card:
 * `response === 3DES(adminKey, lastChallenge)` with single-use challenges (cm-rest-api.md §5.2).
 * The full GIDS card (APDUs over vpcd) lives in electron/simulator/card/.
 */

/** Outcome of an admin-authenticated or PIN operation. */
export type CardOpResult =
  | { ok: true }
  | {
      ok: false
      reason: 'no-challenge' | 'bad-response' | 'locked' | 'wrong-pin' | 'bad-input'
      triesLeft: number
    }

/** Construction options. */
export interface CardDoubleOptions {
  /** Admin key the card starts with (K0 of the template, §5.2). */
  adminKey: Uint8Array
  /** CardID GUID text (default: random from the seed). */
  cardId?: string
  /** Lower-case hex ATR (default: a TPM vSC ATR, §3.1). */
  atr?: string
  userPin?: string
  /** Seed for challenges (deterministic tests). */
  seed?: string
  maxAdminTries?: number
  maxPinTries?: number
}

/** .NET `Guid.ToByteArray()` layout: the first three fields little-endian (OQ-19). */
export function guidToDotNetBytes(guid: string): Buffer {
  const h = normCardId(guid).replace(/-/g, '')
  const b = Buffer.from(h, 'hex')
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ])
}

/** A virtual CM card: admin challenge-response, admin key change, PIN reset and PIN verify. */
export class CmCardDouble {
  readonly cardId: string
  readonly atr: string
  private adminKey: Buffer
  private pin: string | null
  private challenge: Buffer | null = null
  private readonly rng: SeededRng
  private readonly maxAdmin: number
  private readonly maxPin: number
  private adminTries: number
  private pinTries: number

  constructor(o: CardDoubleOptions) {
    if (o.adminKey.length !== 24) throw new RangeError('admin key must be 24 bytes')
    this.rng = new SeededRng(o.seed ?? 'cm-card-double')
    this.cardId = o.cardId ? normCardId(o.cardId) : guidFromBytes(this.rng.bytes('cardid', 16))
    this.atr = (o.atr ?? '3b8d0180fba000000397425446590301c8').toLowerCase()
    this.adminKey = Buffer.from(o.adminKey)
    this.pin = o.userPin ?? null
    this.maxAdmin = o.maxAdminTries ?? 5
    this.maxPin = o.maxPinTries ?? 5
    this.adminTries = this.maxAdmin
    this.pinTries = this.maxPin
  }

  /** The 16 CardID bytes as the card file holds them (.NET layout, OQ-19). */
  get cardIdBytes(): Buffer {
    return guidToDotNetBytes(this.cardId)
  }

  /** Admin authentications left before the card locks. */
  get adminTriesLeft(): number {
    return this.adminTries
  }

  /** PIN tries left. */
  get pinTriesLeft(): number {
    return this.pinTries
  }

  /** True once the admin key is locked (5 failures by default, SIM-C7). */
  get locked(): boolean {
    return this.adminTries === 0
  }

  /** A fresh 8-byte challenge; the previous one is forgotten (single use). */
  getChallenge(): Buffer {
    zeroize(this.challenge)
    this.challenge = this.rng.bytes('challenge', 8)
    return Buffer.from(this.challenge)
  }

  private authenticate(response: Uint8Array): CardOpResult {
    if (this.locked) return { ok: false, reason: 'locked', triesLeft: 0 }
    const chal = this.challenge
    this.challenge = null
    if (!chal) return { ok: false, reason: 'no-challenge', triesLeft: this.adminTries }
    const expected = adminResponse(this.adminKey, chal)
    const good = response.length === 8 && timingSafeEqual(expected, response)
    zeroize(expected, chal)
    if (!good) {
      this.adminTries--
      return { ok: false, reason: this.locked ? 'locked' : 'bad-response', triesLeft: this.adminTries }
    }
    this.adminTries = this.maxAdmin
    return { ok: true }
  }

  /** Replace the admin key after a correct response to the last challenge. */
  changeAdminKey(response: Uint8Array, newKey: Uint8Array): CardOpResult {
    if (newKey.length !== 24) return { ok: false, reason: 'bad-input', triesLeft: this.adminTries }
    const r = this.authenticate(response)
    if (r.ok) {
      zeroize(this.adminKey)
      this.adminKey = Buffer.from(newKey)
    }
    return r
  }

  /** Set a new user PIN (and unblock it) after a correct response to the last challenge. */
  resetPin(response: Uint8Array, newPin: string): CardOpResult {
    if (newPin.length < 4 || newPin.length > 127)
      return { ok: false, reason: 'bad-input', triesLeft: this.adminTries }
    const r = this.authenticate(response)
    if (r.ok) {
      this.pin = newPin
      this.pinTries = this.maxPin
    }
    return r
  }

  /** Check the user PIN; blocks after maxPinTries failures. */
  verifyPin(pin: string): CardOpResult {
    if (this.pinTries === 0 || this.pin === null) return { ok: false, reason: 'locked', triesLeft: 0 }
    if (pin !== this.pin) {
      this.pinTries--
      return { ok: false, reason: this.pinTries === 0 ? 'locked' : 'wrong-pin', triesLeft: this.pinTries }
    }
    this.pinTries = this.maxPin
    return { ok: true }
  }
}
