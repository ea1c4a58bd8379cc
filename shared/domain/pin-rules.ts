/**
 * The effective rules for a new user PIN, computed once from three sources and checked before any card command
 * (a TPM virtual smart card answers `67 00` to a short PIN only after a whole admin authentication was spent):
 * - the CM template's `UserPinPolicy` (cm-rest-api.md §3.4; 0 means "not set");
 * - the card type's own limits: a TPM virtual smart card takes 8–127 printable ASCII characters
 *   (tpmvscmgr `CreateVirtualSmartCard`, gids-card-edge.md §7.1); a GIDS card 4–16 (OpenSC, GidsApplet §7.1);
 * - the station's configured minimum.
 * Pure: shared by the renderer (live checks while the holder types) and main (enforcement).
 */

/** What kind of card will hold the PIN. */
export type PinCardKind = 'tpm-vsc' | 'gids'

/** Where a bound comes from, so the UI can explain it in the holder's words. */
export type PinRuleSource = 'template' | 'card' | 'station'

/** The combined PIN rules. */
export interface PinRules {
  minLength: number
  maxLength: number
  minSource: PinRuleSource
  maxSource: PinRuleSource
  cardKind: PinCardKind
  /** Printable ASCII only (0x20–0x7E): every GIDS card and TPM VSC takes ASCII bytes, no padding (§7.1). */
  printableAscii: true
  /** The bounds contradict each other (e.g. template max 6 on a virtual smart card that needs 8). */
  conflict: boolean
}

/** A reason a PIN is refused. */
export type PinViolation = 'too-short' | 'too-long' | 'not-printable-ascii' | 'mismatch'

/** Built-in card limits (gids-card-edge.md §7.1). */
export const CARD_PIN_LIMITS: Readonly<Record<PinCardKind, { min: number; max: number }>> = {
  'tpm-vsc': { min: 8, max: 127 },
  gids: { min: 4, max: 16 },
}

/**
 * The card kind from the template and the ATR. A TPM virtual smart card shows the GIDS AID in its historical
 * bytes with revision byte `03`/`04` (`3b8d0180fba000000397425446590301c8`, gids-card-edge.md §1, pcsc-lab.md §6);
 * a template that asks for virtual smart cards is one too (§3.3 `IsVirtualSmartcardProfileTemplate`).
 */
export function pinCardKind(input: { atr: string | null; virtualSmartcardTemplate: boolean }): PinCardKind {
  if (input.virtualSmartcardTemplate) return 'tpm-vsc'
  const atr = (input.atr ?? '').toLowerCase()
  return /a00000039742544659(03|04)/.test(atr) ? 'tpm-vsc' : 'gids'
}

/**
 * Combine the template policy, the card kind and the station minimum (the strictest bound wins; ties name the
 * template first, then the card, then the station).
 */
export function effectivePinRules(input: {
  policy: { minLength: number; maxLength: number } | null
  cardKind: PinCardKind
  stationMinLength: number
}): PinRules {
  const card = CARD_PIN_LIMITS[input.cardKind]
  const mins: Array<[number, PinRuleSource]> = [[card.min, 'card']]
  const maxs: Array<[number, PinRuleSource]> = [[card.max, 'card']]
  const p = input.policy
  if (p && p.minLength > 0) mins.push([p.minLength, 'template'])
  if (p && p.maxLength > 0) maxs.push([p.maxLength, 'template'])
  if (input.stationMinLength > 0) mins.push([input.stationMinLength, 'station'])
  const order: Record<PinRuleSource, number> = { template: 0, card: 1, station: 2 }
  const [minLength, minSource] = mins.reduce((a, b) =>
    b[0] > a[0] || (b[0] === a[0] && order[b[1]] < order[a[1]]) ? b : a,
  )
  const [maxLength, maxSource] = maxs.reduce((a, b) =>
    b[0] < a[0] || (b[0] === a[0] && order[b[1]] < order[a[1]]) ? b : a,
  )
  return {
    minLength,
    maxLength,
    minSource,
    maxSource,
    cardKind: input.cardKind,
    printableAscii: true,
    conflict: minLength > maxLength,
  }
}

/** True for printable ASCII (0x20–0x7E) only. */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return false
  }
  return true
}

/**
 * Every rule the PIN breaks (empty = acceptable). `confirmation`, when given, must equal `pin` (the holder types
 * the PIN twice). Length counts characters, which equal bytes for printable ASCII.
 */
export function checkPin(pin: string, rules: PinRules, confirmation?: string): PinViolation[] {
  const out: PinViolation[] = []
  if (pin.length < rules.minLength) out.push('too-short')
  if (pin.length > rules.maxLength) out.push('too-long')
  if (!printableAscii(pin)) out.push('not-printable-ascii')
  if (confirmation !== undefined && confirmation !== pin) out.push('mismatch')
  return out
}
