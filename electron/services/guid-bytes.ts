/**
 * GUID text ↔ the 16 bytes of a .NET / Win32 `GUID` in memory (`Guid.ToByteArray()`, `new Guid(byte[])`): the first
 * three fields (Data1 u32, Data2 u16, Data3 u16) are little-endian, the last 8 bytes are in order, so bytes b0…b15
 * print as `b3b2b1b0-b5b4-b7b6-b8b9-b10…b15`. Active Directory stores `objectGUID` this way (MS-ADTS §3.1.1.1.1,
 * MS-DTYP §2.3.4.2 GUID packet representation), and Windows exposes a GIDS card id through the same layout
 * (gids-card-edge.md §4.4, ASSUMPTION OQ-19).
 */

const GUID_RE = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i

// Byte permutation between memory order and printed order; it is its own inverse (pairwise swaps).
const DOTNET_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]

/** 16 bytes in .NET memory layout → lower-case GUID text without braces. Throws RangeError unless 16 bytes. */
export function guidFromDotnetBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a GUID is 16 bytes, got ${bytes.length}`)
  return printGuid(DOTNET_ORDER.map((i) => bytes[i]!))
}

/** GUID text (braces and upper case allowed) → 16 bytes in .NET memory layout. Throws RangeError on other text. */
export function dotnetBytesFromGuid(text: string): Buffer {
  const printed = guidPrintedBytes(text)
  const out = Buffer.alloc(16)
  DOTNET_ORDER.forEach((src, dst) => (out[dst] = printed[src]!))
  return out
}

/** 16 bytes printed in order (no permutation) → lower-case GUID text. Throws RangeError unless 16 bytes. */
export function guidFromPrintedBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a GUID is 16 bytes, got ${bytes.length}`)
  return printGuid(Array.from(bytes))
}

/** GUID text → its 16 bytes in printed order. Throws RangeError on other text. */
export function guidPrintedBytes(text: string): Buffer {
  const m = GUID_RE.exec(text.trim())
  if (!m) throw new RangeError('not a GUID')
  return Buffer.from(m.slice(1).join(''), 'hex')
}

/** True for a GUID text with or without braces. */
export function isGuidText(text: string): boolean {
  return GUID_RE.test(text.trim())
}

function printGuid(bytes: number[]): string {
  const h = Buffer.from(bytes).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
