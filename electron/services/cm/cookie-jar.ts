/**
 * A minimal per-origin cookie jar for Node transports (cm-rest-api.md §1.4: the session cookie "may be
 * required depending on the authentication method"). Electron's net.fetch keeps cookies in its session,
 * so the jar is optional.
 */

/** What the CM transport needs from a cookie jar. */
export interface CmCookieJar {
  /** The `Cookie` header for a request to `url`, or undefined. */
  header(url: string): string | undefined
  /** Remember the `Set-Cookie` lines of a response from `url`. */
  store(url: string, setCookie: readonly string[]): void
}

function origin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** An in-memory jar: name=value per origin; expired or `Max-Age=0` cookies are removed. Path is ignored. */
export function createMemoryCookieJar(now: () => number = Date.now): CmCookieJar {
  const jars = new Map<string, Map<string, { value: string; expires: number }>>()
  return {
    header(url) {
      const jar = jars.get(origin(url))
      if (!jar) return undefined
      const t = now()
      const pairs: string[] = []
      for (const [name, c] of jar) {
        if (c.expires <= t) jar.delete(name)
        else pairs.push(`${name}=${c.value}`)
      }
      return pairs.length > 0 ? pairs.join('; ') : undefined
    },
    store(url, setCookie) {
      const key = origin(url)
      const jar = jars.get(key) ?? new Map<string, { value: string; expires: number }>()
      jars.set(key, jar)
      for (const line of setCookie) {
        const [pair = '', ...attrs] = line.split(';')
        const eq = pair.indexOf('=')
        if (eq <= 0) continue
        const name = pair.slice(0, eq).trim()
        const value = pair.slice(eq + 1).trim()
        let expires = Number.POSITIVE_INFINITY
        for (const attr of attrs) {
          const [k = '', v = ''] = attr.split('=').map((s) => s.trim())
          if (k.toLowerCase() === 'max-age' && /^-?\d+$/.test(v)) expires = now() + Number(v) * 1000
          else if (k.toLowerCase() === 'expires' && expires === Number.POSITIVE_INFINITY) {
            const t = Date.parse(v)
            if (!Number.isNaN(t)) expires = t
          }
        }
        if (expires <= now()) jar.delete(name)
        else jar.set(name, { value, expires })
      }
    },
  }
}
