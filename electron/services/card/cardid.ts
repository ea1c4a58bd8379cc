/**
 * cardid (16 bytes, EF A012 / DO DF20) ↔ the GUID text CM uses as the card's SerialNumber.
 *
 * NOT ESTABLISHED (gids-card-edge.md §4.4, §12; cm-rest-api.md OQ-19): how Windows maps the 16 file
 * bytes to the GUID text. Windows exposes the card id as a `Guid` (SmartCardProvisioning.GetIdAsync),
 * and the natural way for it to get there is `new Guid(byte[])` / a memcpy into a GUID struct, whose
 * first three fields (Data1 u32, Data2 u16, Data3 u16) are little-endian: bytes b0…b15 print as
 * `b3b2b1b0-b5b4-b7b6-b8b9-b10…b15`. ASSUMPTION OQ-19: use that .NET `Guid(byte[])` layout by default,
 * as OQ-19 recommends. The other candidate (plain hex in card order) stays available as 'card-order'
 * so it is a one-word switch once a real TPM VSC has been compared with what CM shows.
 */

/** The two candidate layouts; 'dotnet' is the default (ASSUMPTION OQ-19). */
export type CardIdLayout = 'dotnet' | 'card-order'

/** The default layout used everywhere (see the module comment). */
export const DEFAULT_CARDID_LAYOUT: CardIdLayout = 'dotnet'

const GUID_RE = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i

// Byte permutation from card order to the order in which the GUID text prints the bytes.
const DOTNET_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]

/** 16 cardid bytes → lower-case GUID text without braces (`bc88f13f-83ba-…`). */
export function cardIdToGuid(cardid: Uint8Array, layout: CardIdLayout = DEFAULT_CARDID_LAYOUT): string {
  if (cardid.length !== 16) throw new RangeError(`cardid must be 16 bytes, got ${cardid.length}`)
  const printed = layout === 'dotnet' ? DOTNET_ORDER.map((i) => cardid[i]!) : Array.from(cardid)
  const h = Buffer.from(printed).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** GUID text (braces and upper case allowed, as in CM's `"{…}"` SerialNumber) → 16 cardid bytes. */
export function guidToCardId(guid: string, layout: CardIdLayout = DEFAULT_CARDID_LAYOUT): Buffer {
  const m = GUID_RE.exec(guid.trim())
  if (!m) throw new RangeError('not a GUID')
  const printed = Buffer.from(m.slice(1).join(''), 'hex')
  if (layout === 'card-order') return printed
  const out = Buffer.alloc(16)
  // DOTNET_ORDER is its own inverse (pairwise swaps), so the same table maps back.
  DOTNET_ORDER.forEach((src, dst) => (out[dst] = printed[src]!))
  return out
}

/** True for a GUID text with or without braces. */
export function isGuid(text: string): boolean {
  return GUID_RE.test(text.trim())
}

/** Lower-case 32-hex-digit form in card order, as OpenSC prints the serial (gids-card-edge.md §4.4). */
export function cardIdHex(cardid: Uint8Array): string {
  return Buffer.from(cardid).toString('hex')
}
