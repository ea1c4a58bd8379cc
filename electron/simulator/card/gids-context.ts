import type { CommandApdu } from '../../services/card/apdu'
import { SW } from '../../services/card/apdu'
import type { Logger } from '../../services/log'
import type { EfState, GidsCardState } from './gids-state'

/**
 * Shared pieces of the virtual GIDS card's command handlers: the volatile model, the handler
 * context and the access-rule evaluation (gids-card-edge.md §4.3, §10.2, §11).
 */

/** A pending GENERAL AUTHENTICATE challenge (§5.3 mutual, §5.4 external). */
export type PendingChallenge =
  { kind: 'external'; challenge: Buffer } | { kind: 'mutual'; r1: Buffer; r2: Buffer }

/** Everything a reset, power-on or re-SELECT of the application clears (§10.2). */
export interface VolatileState {
  /** Current EF id, or null (SELECT 3FFF clears it so ACTIVATE targets the application, §8.2). */
  currentEf: number | null
  /** Key reference from MSE `83 01 80` (§5.2). */
  mseKey: number | null
  pinVerified: boolean
  adminAuthenticated: boolean
  pending: PendingChallenge | null
  /** Security environment for PSO from MSE `41 B6/B8` (§9.5, §9.6). */
  crypto: { op: 'sign' | 'decipher'; alg: number; kid: number } | null
}

/** A fresh volatile model. */
export function freshVolatile(): VolatileState {
  return {
    currentEf: null,
    mseKey: null,
    pinVerified: false,
    adminAuthenticated: false,
    pending: null,
    crypto: null,
  }
}

/** What each handler answers: response data (may exceed 256 bytes; the transport layer chunks it) + SW. */
export interface Reply {
  data?: Buffer
  sw: number
}

/** What a command handler may touch. */
export interface CardContext {
  state: GidsCardState
  vol: VolatileState
  random(n: number): Buffer
  log: Logger
  /** Call after changing `state` (persisted by the owner). */
  markDirty(): void
  /** Drop a pending challenge, zeroing it (single-use, §5.5). */
  dropChallenge(): void
}

/** A command handler. */
export type Handler = (ctx: CardContext, apdu: CommandApdu) => Reply

/** Shorthand for a status-only reply. */
export const sw = (code: number): Reply => ({ sw: code })

/** EF id ↔ state key ("a012"). */
export const fidKey = (fid: number): string => fid.toString(16).padStart(4, '0')

/** The EF with this id, or undefined. */
export function getEf(ctx: CardContext, fid: number): EfState | undefined {
  return ctx.state.files[fidKey(fid)]
}

/** Access-mode bit 01: read / GET DATA (§4.3). */
export const AM_READ = 0x01
/** Access-mode bit 02: update / PUT DATA, and PUT KEY on a key EF (§4.3, §5.1). */
export const AM_UPDATE = 0x02

/**
 * The security-condition byte for `mode` in a compact security attribute (8C value): the access-mode
 * byte is scanned from bit 40 down to bit 01, each set bit consuming the next SC byte
 * (GidsApplet File.java:164-215 as summarised in §4.3). A mode without a byte is "never" (FF).
 */
export function securityCondition(aclHex: string, mode: number): number {
  const acl = Buffer.from(aclHex, 'hex')
  const am = acl[0]
  if (am === undefined) return 0xff
  let next = 1
  for (let bit = 0x40; bit >= 0x01; bit >>= 1) {
    if (!(am & bit)) continue
    if (bit === mode) return acl[next] ?? 0xff
    next++
  }
  return 0xff
}

/**
 * Evaluate a security condition (§4.3): 00 always, FF never, high nibble 1/9 user PIN, 2/A admin,
 * 3 either; the low nibble (contact/contactless) is ignored. During initialisation everything but
 * "never" is allowed (§8.2 card-side rules).
 */
export function allowed(ctx: CardContext, sc: number): boolean {
  if (sc === 0xff) return false
  if (ctx.state.lifeCycle === 'initialisation' || sc === 0x00) return true
  const user = ctx.vol.pinVerified
  const admin = ctx.vol.adminAuthenticated
  switch (sc >> 4) {
    case 0x1:
    case 0x9:
      return user
    case 0x2:
    case 0xa:
      return admin
    case 0x3:
      return user || admin
    default:
      return false
  }
}

/** Check `mode` on an EF: null when allowed, else the SW to answer (6985 not activated, 6982 denied). */
export function checkAccess(ctx: CardContext, ef: EfState, mode: number): number | null {
  if (!ef.activated) return SW.CONDITIONS_NOT_SATISFIED
  return allowed(ctx, securityCondition(ef.acl, mode)) ? null : SW.SECURITY_NOT_SATISFIED
}
