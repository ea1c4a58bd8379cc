import { createHmac } from 'node:crypto'
import { oddParity } from '../../services/crypto/des'
import type { WirePinPolicy, WireSmartcardConfig } from '../../../shared/cm/wire-types'
import { normCardId } from './guid'
import type { SimState, SimTemplate } from './model'
import type { SeededRng } from './rng'

/** Admin-key material of the simulator (cm-rest-api.md §5.2, SIM-C2/C3/C6/C8). */

/**
 * SIM-C2: `Kd = oddParity(HMAC-SHA256(secret, "cm-sim-divkey-v1:" + norm(cardid))[0..24))`.
 * Vector: secret "training-secret", cardid bc88f13f-… → `DtlUnrU4nvud3CPaMgtdFhB28sIBza5/`.
 */
// ASSUMPTION OQ-31: the real diversification algorithm is unpublished; this is the simulator's own.
export function deriveDiversifiedKey(secret: string, cardId: string): Buffer {
  const mac = createHmac('sha256', secret)
    .update('cm-sim-divkey-v1:' + normCardId(cardId))
    .digest()
  const key = oddParity(mac.subarray(0, 24))
  mac.fill(0)
  return key
}

/** The effective secret of a template, changed by each rotation (SIM-C8: "agent certificate renewed"). */
export function templateSecret(state: SimState, template: SimTemplate): string {
  const base = template.Sim.DiversificationSecret ?? state.DiversificationSecret
  const gen = state.SecretGenerations[template.Uuid] ?? 0
  return gen === 0 ? base : `${base}#rotation-${gen}`
}

/** Kd for a card: the per-CardID override while the secret is unrotated (FX-E14-1), else SIM-C2. */
export function diversifiedKeyFor(state: SimState, template: SimTemplate, cardId: string): Buffer {
  const override = state.DiversifiedKeys[normCardId(cardId)]
  if (override !== undefined && (state.SecretGenerations[template.Uuid] ?? 0) === 0) {
    return Buffer.from(override, 'base64')
  }
  return deriveDiversifiedKey(templateSecret(state, template), cardId)
}

/** K0 = hex-decode(DefaultAdminKeyHex); empty means 24 zero bytes (§5.2, FX-E15-1). */
// ASSUMPTION OQ-32: diversified=false uses DefaultAdminKeyHex, and "" is the all-zero key.
export function initialAdminKey(config: WireSmartcardConfig): Buffer {
  return config.DefaultAdminKeyHex === '' ? Buffer.alloc(24) : Buffer.from(config.DefaultAdminKeyHex, 'hex')
}

/** A PIN that satisfies the user PIN policy: digits (CharacterSet 1), MinLength long (SIM-C6). */
// ASSUMPTION OQ-11: every CharacterSet is treated as digits only.
export function generatePin(rng: SeededRng, policy: WirePinPolicy): string {
  const len =
    policy.MinLength > 0 ? policy.MinLength : Math.min(8, policy.MaxLength > 0 ? policy.MaxLength : 8)
  let pin = ''
  for (let i = 0; i < len; i++) pin += String(rng.int('pin', 10))
  return pin
}

/** Default provider for CustomServerDistributed: digits from an HMAC of the CardID (stable, pluggable). */
export function defaultCustomPin(cardId: string, length: number): string {
  const mac = createHmac('sha256', 'cm-sim-custom-pin').update(normCardId(cardId)).digest()
  let pin = ''
  for (let i = 0; i < length; i++) pin += String(mac[i % mac.length]! % 10)
  return pin
}
