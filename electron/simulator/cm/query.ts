/**
 * Query-string handling as ASP.NET does it (SIM-R3): names case-insensitive, `+` decoded as a space (Q18),
 * first occurrence wins.
 */
export class SimQuery {
  private readonly map = new Map<string, string>()

  constructor(raw: string) {
    for (const part of raw.split('&')) {
      if (!part) continue
      const eq = part.indexOf('=')
      const k = safeDecode(eq < 0 ? part : part.slice(0, eq)).toLowerCase()
      const v = eq < 0 ? '' : safeDecode(part.slice(eq + 1))
      if (!this.map.has(k)) this.map.set(k, v)
    }
  }

  /** A value, or undefined when absent. */
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())
  }

  /** Whether the parameter is present. */
  has(name: string): boolean {
    return this.map.has(name.toLowerCase())
  }

  /** Parameter names (lower case), for the request log (values may be secrets). */
  names(): string[] {
    return [...this.map.keys()]
  }
}

function safeDecode(s: string): string {
  const spaced = s.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

/** `true`/`false` in any case (SIM-R3); undefined when it is neither. */
export function parseBool(v: string): boolean | undefined {
  const l = v.trim().toLowerCase()
  return l === 'true' ? true : l === 'false' ? false : undefined
}
