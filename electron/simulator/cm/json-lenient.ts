/**
 * JSON body parsing with the walkthrough leniencies (Q4, Q11, OQ-25): trailing commas are accepted in
 * lenient mode only; typographic quotes are normalised only inside the `datacollection` string form.
 */

/** Remove commas that directly precede `}` or `]`, outside string literals. */
export function stripTrailingCommas(text: string): string {
  let out = ''
  let inStr = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (inStr) {
      out += ch
      if (ch === '\\') {
        out += text[i + 1] ?? ''
        i++
      } else if (ch === '"') inStr = false
      continue
    }
    if (ch === '"') {
      inStr = true
      out += ch
      continue
    }
    if (ch === ',') {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j]!)) j++
      if (text[j] === '}' || text[j] === ']') continue
    }
    out += ch
  }
  return out
}

/** Parse a request body; throws SyntaxError when it is not JSON (after lenient repairs when allowed). */
export function parseJsonBody(text: string, lenient: boolean): unknown {
  const t = text.replace(/^\uFEFF/, '')
  try {
    return JSON.parse(t)
  } catch (e) {
    if (!lenient) throw e
    return JSON.parse(stripTrailingCommas(t))
  }
}

/** U+201C/U+201D (and U+201E/U+201F) → `"` (the walkthrough's `[{“Request Reason”:”Need VPN Certs”}]`). */
export function normaliseTypographicQuotes(text: string): string {
  return text.replace(/[\u201c\u201d\u201e\u201f]/g, '"')
}

/** Case-insensitive own-property lookup (Json.NET binds body names case-insensitively, SIM-R8). */
export function prop(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v
  return undefined
}
