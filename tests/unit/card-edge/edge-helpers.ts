import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { createMemoryLogger, type Logger } from '../../../electron/services/log'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { FakeCardAccess } from './fake-access'

/** Hex → Buffer. */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex')
/** Consecutive bytes: seq(0, 24) = 000102…17 (K1≠K2≠K3 catches key-order bugs, §5.6). */
export const seq = (from: number, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => from + i))

/** The documented cardid (cm-rest-api.md FX-E11-1) in card order under the .NET layout. */
export const CARDID_GUID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
export const CARDID = hex('3ff188bcba833740826246eba1291c6e')
/** CM's K0 for an empty DefaultAdminKeyHex (cm-rest-api.md §5.2). */
export const K0 = Buffer.alloc(24)
/** A stand-in for the diversified key Kd. */
export const KD = seq(0, 24)
export const READER = 'Virtual PCD 00 00'

/** An edge over an in-process personalised GidsCard; sleeps are recorded, not waited. */
export function setup(opts: { adminTryLimit?: number; pin?: string; log?: Logger } = {}) {
  const card = GidsCard.personalised({
    cardid: CARDID,
    adminKey: K0,
    pin: opts.pin ?? '12345678',
    ...(opts.adminTryLimit !== undefined && { adminTryLimit: opts.adminTryLimit }),
  })
  const access = new FakeCardAccess(card)
  const log = opts.log ?? createMemoryLogger()
  const sleeps: number[] = []
  const edge = new GidsCardEdge({
    access,
    log,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  })
  return { card, access, edge, log, sleeps }
}
