import { parseGuid } from './guid'
import type { RouteDef } from './routes'
import { ROUTES } from './routes'

/** Where a request path points (SIM-R1). */
export type PathTarget =
  /** Not under /CertificateManagement: IIS answers. */
  | { kind: 'outside' }
  /** Under /CertificateManagement but not /api: portal pages the simulator does not serve. */
  | { kind: 'portal' }
  /** Under /CertificateManagement/api; `segments` follow `api/v1.0` (null when the version is not v1.0). */
  | { kind: 'api'; segments: string[] | null }

/** Split and classify a raw path: literal segments case-insensitive, one trailing slash tolerated. */
export function classifyPath(rawPath: string): PathTarget {
  const parts = rawPath.split('/')
  if (parts[0] !== '') return { kind: 'outside' }
  parts.shift()
  // cm-rest-api.md §2.2 / SIM-R1: a single trailing slash is accepted on any route.
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  const decoded: string[] = []
  for (const p of parts) {
    try {
      decoded.push(decodeURIComponent(p))
    } catch {
      decoded.push(p)
    }
  }
  if ((decoded[0] ?? '').toLowerCase() !== 'certificatemanagement') return { kind: 'outside' }
  if ((decoded[1] ?? '').toLowerCase() !== 'api') return { kind: 'portal' }
  if ((decoded[2] ?? '').toLowerCase() !== 'v1.0') return { kind: 'api', segments: null }
  return { kind: 'api', segments: decoded.slice(3) }
}

/** Result of matching API segments against the route table. */
export type RouteMatch =
  | { kind: 'ok'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[]; routeId: string }
  | { kind: 'not-found' }

function matchPattern(pattern: string, segs: string[]): Record<string, string> | null {
  const pat = pattern.split('/')
  if (pat.length !== segs.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i]!
    const s = segs[i]!
    if (p.startsWith(':')) {
      // cm-rest-api.md §1.2 / SIM-R2: any case, optional braces; whitespace is NOT trimmed in paths (Q11).
      const g = parseGuid(s)
      if (g === null) return null
      params[p.slice(1)] = g
    } else if (p.startsWith('*')) {
      if (s === '') return null
      params[p.slice(1)] = s
    } else if (p !== s.toLowerCase()) return null
  }
  return params
}

/** Find the route for a method and API segments; 405 when the path exists for other verbs (SIM-R7). */
export function matchRoute(method: string, segs: string[]): RouteMatch {
  const allow: string[] = []
  let routeId = ''
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segs)
    if (!params) continue
    if (route.method === method) return { kind: 'ok', route, params }
    if (!allow.includes(route.method)) allow.push(route.method)
    routeId = route.id
  }
  return allow.length ? { kind: 'method-not-allowed', allow, routeId } : { kind: 'not-found' }
}
