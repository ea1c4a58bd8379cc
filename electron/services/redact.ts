/**
 * Small pure redactors applied at the log sink (conventions §11). Secrets — PINs, admin keys,
 * challenges and responses, tokens — are replaced before anything is written.
 */

/** Field names whose values are always secret, matched case-insensitively. */
const SECRET_KEYS =
  /^(pin|newpin|oldpin|userpin|puk|adminkey|newadminkey|key|diversifiedkey|challenge|response|authorization|cookie|token|password|pfxpassword|secret)$/i

/** Query parameters that carry secrets in CM URLs (challenge) — masked in logged URLs. */
const SECRET_QUERY = /([?&](?:challenge|pin|token)=)[^&#]*/gi

/** Mask secret query values in a URL or path. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]')
}

/** Mask an APDU that carries secret data: VERIFY/CHANGE/RESET RETRY COUNTER, GENERAL AUTHENTICATE, PUT KEY. */
export function redactApduHex(hex: string): string {
  const h = hex.replace(/\s+/g, '').toLowerCase()
  const ins = h.slice(2, 4)
  const p1p2 = h.slice(4, 8)
  const secret =
    ins === '20' || ins === '24' || ins === '2c' || ins === '87' || (ins === 'db' && p1p2 === '3fff')
  return secret ? `${h.slice(0, 8)}…[redacted]` : h
}

/** Deeply redact a structured log record. Errors become their message (already code-only for StationError). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]'
  if (value instanceof Error) return { name: value.name, message: redactUrl(value.message) }
  if (typeof value === 'string') return redactUrl(value)
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[bytes:${value.length}]`
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)
    return out
  }
  return value
}
