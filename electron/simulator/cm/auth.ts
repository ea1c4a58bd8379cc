import type { IncomingHttpHeaders } from 'node:http'
import type { SimUser } from './model'
import type { SimRuntime } from './runtime'

/**
 * Authentication (cm-rest-api.md §1.5, SIM-A1..A3). No real Kerberos or ADFS: `Negotiate`/`NTLM` tokens are
 * `base64("sim:<account>")` or an entry of a user's `Tokens`; `Bearer` tokens are table entries or unsigned
 * JWTs whose `upn` / `unique_name` / `winaccountname` names the user.
 */
// ASSUMPTION OQ-15: ADFS sends `Authorization: Bearer <JWT>`; the simulator does not check signatures.

/** The `Authorization` value the simulator accepts as `account` over WIA (test and client convention). */
export function simNegotiateHeader(account: string): string {
  return `Negotiate ${Buffer.from(`sim:${account}`, 'utf8').toString('base64')}`
}

/** An unsigned JWT (alg "none") naming the user by UPN, for ADFS-mode tests. */
export function simBearerJwt(upn: string): string {
  const b64u = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64u({ alg: 'none', typ: 'JWT' })}.${b64u({ upn, aud: 'https://cm.sim/certificatemanagement' })}.`
}

/** Outcome of looking at the request's credentials. */
export type AuthOutcome =
  | { kind: 'user'; user: SimUser; via: 'negotiate' | 'bearer' | 'cookie' | 'default' }
  | { kind: 'missing' }
  | { kind: 'invalid'; scheme: 'negotiate' | 'bearer' | 'other' }

/** Name of the session cookie (SIM-A3). */
export const SESSION_COOKIE = 'CmSimSession'

function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

function userFromJwt(rt: SimRuntime, token: string): SimUser | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
    for (const c of ['upn', 'unique_name', 'winaccountname']) {
      const v = claims[c]
      if (typeof v === 'string') {
        const u = rt.store.userByName(v)
        if (u) return u
      }
    }
  } catch {
    return undefined
  }
  return undefined
}

/** Resolve the caller from `Authorization`, the session cookie or the configured default user. */
export function authenticate(
  rt: SimRuntime,
  headers: IncomingHttpHeaders,
  defaultUser: string | null,
): AuthOutcome {
  const auth = headers.authorization?.trim()
  const mode = rt.switches.authMode
  if (auth) {
    const sp = auth.indexOf(' ')
    const scheme = (sp < 0 ? auth : auth.slice(0, sp)).toLowerCase()
    const token = sp < 0 ? '' : auth.slice(sp + 1).trim()
    const byToken = rt.store.state.Users.find((u) => u.Tokens.includes(token))
    if ((scheme === 'negotiate' || scheme === 'ntlm') && mode !== 'adfs') {
      if (byToken) return { kind: 'user', user: byToken, via: 'negotiate' }
      const text = Buffer.from(token, 'base64').toString('utf8')
      const user = text.startsWith('sim:') ? rt.store.userByName(text.slice(4)) : undefined
      return user ? { kind: 'user', user, via: 'negotiate' } : { kind: 'invalid', scheme: 'negotiate' }
    }
    if (scheme === 'bearer' && mode !== 'wia') {
      const user = byToken ?? userFromJwt(rt, token)
      return user ? { kind: 'user', user, via: 'bearer' } : { kind: 'invalid', scheme: 'bearer' }
    }
    return { kind: 'invalid', scheme: 'other' }
  }
  const session = cookieValue(headers, SESSION_COOKIE)
  if (session !== undefined && rt.switches.sessionCookie) {
    const uuid = rt.sessions.get(session)
    const user = uuid ? rt.store.user(uuid) : undefined
    if (user) return { kind: 'user', user, via: 'cookie' }
  }
  if (defaultUser !== null) {
    const user = rt.store.userByName(defaultUser) ?? rt.store.user(defaultUser)
    if (user) return { kind: 'user', user, via: 'default' }
  }
  return { kind: 'missing' }
}

/** A realm as an RFC 9110 quoted-string (quotes and backslashes escaped, control characters dropped). */
function quoted(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200)
  return `"${clean.replace(/["\\]/g, (c) => `\\${c}`)}"`
}

/**
 * `WWW-Authenticate` values for a 401 in the current mode (SIM-A1), one header field each, in the order IIS lists
 * its enabled providers: Windows Authentication's `Negotiate` and `NTLM`, then `Basic realm="…"` when Basic
 * Authentication is on too (switch `basicRealm`); ADFS's `Bearer`.
 */
// ASSUMPTION SIM-A1: WIA offers Negotiate and NTLM; ADFS offers Bearer.
export function challengeHeaders(rt: SimRuntime, invalidBearer: boolean): string[] {
  const out: string[] = []
  if (rt.switches.authMode !== 'adfs') out.push('Negotiate', 'NTLM')
  if (rt.switches.authMode !== 'adfs' && rt.switches.basicRealm !== null)
    out.push(`Basic realm=${quoted(rt.switches.basicRealm)}`)
  if (rt.switches.authMode !== 'wia') out.push(invalidBearer ? 'Bearer error="invalid_token"' : 'Bearer')
  return out
}
