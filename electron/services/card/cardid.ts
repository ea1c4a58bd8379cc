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

import {
  dotnetBytesFromGuid,
  guidFromDotnetBytes,
  guidFromPrintedBytes,
  guidPrintedBytes,
  isGuidText,
} from '../guid-bytes'

/** The two candidate layouts; 'dotnet' is the default (ASSUMPTION OQ-19). */
export type CardIdLayout = 'dotnet' | 'card-order'

/** The default layout used everywhere (see the module comment). */
export const DEFAULT_CARDID_LAYOUT: CardIdLayout = 'dotnet'

/** 16 cardid bytes → lower-case GUID text without braces (`bc88f13f-83ba-…`). */
export function cardIdToGuid(cardid: Uint8Array, layout: CardIdLayout = DEFAULT_CARDID_LAYOUT): string {
  if (cardid.length !== 16) throw new RangeError(`cardid must be 16 bytes, got ${cardid.length}`)
  return layout === 'dotnet' ? guidFromDotnetBytes(cardid) : guidFromPrintedBytes(cardid)
}

/** GUID text (braces and upper case allowed, as in CM's `"{…}"` SerialNumber) → 16 cardid bytes. */
export function guidToCardId(guid: string, layout: CardIdLayout = DEFAULT_CARDID_LAYOUT): Buffer {
  return layout === 'dotnet' ? dotnetBytesFromGuid(guid) : guidPrintedBytes(guid)
}

/** True for a GUID text with or without braces. */
export function isGuid(text: string): boolean {
  return isGuidText(text)
}

/** Lower-case 32-hex-digit form in card order, as OpenSC prints the serial (gids-card-edge.md §4.4). */
export function cardIdHex(cardid: Uint8Array): string {
  return Buffer.from(cardid).toString('hex')
}
