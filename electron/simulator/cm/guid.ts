/** GUID parsing and formatting as CM REST sends and accepts them (cm-rest-api.md §1.2, SIM-R2). */

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Normalise a GUID from a path or query: any case, optional `{}` braces; null when not a GUID. */
export function parseGuid(text: string): string | null {
  let s = text
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1)
  return GUID_RE.test(s) ? s.toLowerCase() : null
}

/** Like parseGuid, but trims surrounding whitespace first (lenient body values, Q11 / SIM-R2). */
export function parseGuidLenient(text: string): string | null {
  return parseGuid(text.trim())
}

/** True when two GUID strings denote the same GUID (case- and brace-insensitive). */
export function sameGuid(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false
  const pa = parseGuidLenient(a)
  return pa !== null && pa === parseGuidLenient(b)
}

/** Format 16 random bytes as an RFC 4122 version-4 GUID in lower case (.NET `Guid.NewGuid()` shape). */
export function guidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new RangeError('need 16 bytes for a GUID')
  const b = Buffer.from(bytes.subarray(0, 16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A CardID as CM stores it in `SerialNumber`: braced, lower case (.NET `Guid.ToString("B")`, §3.1). */
export function serialFromCardId(cardId: string): string {
  return `{${cardId
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase()}}`
}

/** The CardID text of a `SerialNumber` or user input: trimmed, braces stripped, lower case (SIM-C2 `norm`). */
export function normCardId(text: string): string {
  return text
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase()
}
