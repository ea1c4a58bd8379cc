/**
 * The authentication schemes a 401 offers, read from its `WWW-Authenticate` challenges (RFC 9110 §11.6.1) — for the
 * log and the operator's diagnosis only; the platform (Chromium's network stack under Electron) answers them.
 *
 * IIS with Windows Authentication sends one field per provider (`Negotiate`, `NTLM`, and `Basic realm="…"` when
 * Basic Authentication is also enabled; ADFS-fronted sites `Bearer`), and fetch's `Headers.get` joins repeated fields
 * with ", " — so the value is a comma-separated list of challenges whose auth-params may themselves contain commas
 * inside quoted strings (`Bearer error="invalid_token", error_description="a, b"`).
 */

/** RFC 9110 token characters (an auth-scheme is a token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** At most this many schemes are reported (a hostile server cannot flood the log). */
const MAX_SCHEMES = 8

/** Longest scheme name reported. */
const MAX_SCHEME_CHARS = 32

/** Split on commas that are not inside a quoted string (quoted-pair `\"` honoured). */
function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (quoted && c === '\\' && i + 1 < value.length) {
      current += c + value[i + 1]!
      i++
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts
}

/**
 * The auth-scheme names of every challenge in a `WWW-Authenticate` value (one field, or several joined with ", "),
 * de-duplicated case-insensitively in the order offered, e.g. `['Negotiate', 'NTLM', 'Basic']`. Never returns a
 * token68 or an auth-param value (a Negotiate continuation token, a realm): scheme names only. `null` → [].
 */
export function offeredAuthSchemes(value: string | null | undefined): string[] {
  if (!value) return []
  const out: string[] = []
  for (const raw of splitOutsideQuotes(value)) {
    const element = raw.trim()
    if (element === '') continue
    const first = /^[^\s=]+/.exec(element)?.[0] ?? ''
    // `name=value` (BWS allowed before "=") continues the previous challenge's auth-params.
    if (/^[^\s=]+\s*=/.test(element) && !/^[^\s=]+\s+[^=\s]/.test(element)) continue
    if (!TOKEN.test(first) || first.length > MAX_SCHEME_CHARS) continue
    if (out.some((s) => s.toLowerCase() === first.toLowerCase())) continue
    out.push(first)
    if (out.length === MAX_SCHEMES) break
  }
  return out
}

/** True when the offered schemes include Windows sign-in (`Negotiate` — Kerberos with NTLM fallback — or `NTLM`). */
export function offersWindowsSignIn(schemes: readonly string[]): boolean {
  return schemes.some((s) => /^(negotiate|ntlm)$/i.test(s))
}
