import type { IncomingMessage, ServerResponse } from 'node:http'
import { challengeHeaders, authenticate, SESSION_COOKIE } from './auth'
import type { AuthOutcome } from './auth'
import { SimFailure } from './errors'
import type { FaultAction, FaultEngine } from './faults'
import type { HandlerContext } from './handler-types'
import { parseJsonBody } from './json-lenient'
import type { SimUser } from './model'
import { SimQuery } from './query'
import { classifyPath, matchRoute } from './router'
import type { RouteMatch } from './router'
import { newCorrelationId } from './runtime'
import type { SimRuntime } from './runtime'
import { withUnknownEnums } from './serialize'
import {
  emptyOut,
  errorOut,
  forbiddenOut,
  htmlOut,
  iisNotFound,
  iisUnauthorized,
  iisUnavailable,
  jsonOut,
  webApiMethodNotAllowed,
  webApiNotFound,
  webApiUnsupportedMediaType,
} from './responses'
import type { Outgoing } from './responses'
import { sendOutgoing } from './transport'
import type { Transport } from './transport'

/** The request pipeline: auth → faults → API switch → routing → media type → handler → serialization. */

/** Dependencies of the pipeline. */
export interface PipelineDeps {
  rt: SimRuntime
  faults: FaultEngine
  defaultUser: string | null
  maxBodyBytes: number
  transport: Transport
}

/** What one request carries through the pipeline. */
interface Incoming {
  method: string
  path: string
  query: SimQuery
  body: Buffer
  headers: IncomingMessage['headers']
  absoluteUrl: string
  origin: string
}

const Q1_MESSAGE =
  'The requested resource does not support http method \'GET\'. Use PUT with {"status":"Retired"} to update the smart card status.'

function isJsonType(ct: string | undefined): boolean {
  const t = (ct ?? '').split(';')[0]!.trim().toLowerCase()
  return t === 'application/json' || t === 'text/json' || t.endsWith('+json')
}

function userKeys(auth: AuthOutcome): string[] {
  if (auth.kind !== 'user') return []
  const u = auth.user
  return [u.Account, u.Key, u.Uuid, u.Upn].filter(Boolean).map((s) => s.toLowerCase())
}

/** Read the whole body (bounded). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function failureOut(
  rt: SimRuntime,
  inc: Incoming,
  e: unknown,
  record: (id: string, status: number, detail: string) => void,
): Outgoing {
  if (e instanceof SimFailure) {
    switch (e.kind) {
      case 'forbidden':
        return forbiddenOut(rt)
      case 'no-content':
        return emptyOut(204)
      case 'route-not-found':
        return webApiNotFound(inc.absoluteUrl)
      case 'business-rule':
      case 'server-error': {
        const status = e.kind === 'business-rule' ? rt.switches.businessRuleStatus : 500
        const id = newCorrelationId(rt)
        record(id, status, e.detail)
        return errorOut(rt, status, id, e.detail)
      }
    }
  }
  const id = newCorrelationId(rt)
  record(id, 500, 'internal simulator error')
  rt.logger.error('cm-sim handler crashed', { correlationId: id, error: (e as Error)?.message })
  return errorOut(rt, 500, id, '')
}

/** Produce the normal response for a request (no faults involved). */
function process(
  deps: PipelineDeps,
  inc: Incoming,
  auth: AuthOutcome,
  match: RouteMatch | null,
  target: ReturnType<typeof classifyPath>,
  record: (id: string, status: number, detail: string) => void,
): Outgoing {
  const { rt } = deps
  // cm-rest-api.md §1.6: IIS authenticates before routing, also when the API is disabled.
  if (auth.kind !== 'user') {
    return iisUnauthorized(challengeHeaders(rt, auth.kind === 'invalid' && auth.scheme === 'bearer'))
  }
  if (target.kind !== 'api') return iisNotFound()
  // cm-rest-api.md SIM-R14: Clm.WebApi.Enabled=false → no routes registered → 404 HTML everywhere.
  if (!rt.switches.apiEnabled) return iisNotFound()
  if (target.segments === null || match === null || match.kind === 'not-found')
    return webApiNotFound(inc.absoluteUrl)
  let m: RouteMatch = match
  let method = inc.method
  if (m.kind === 'method-not-allowed') {
    if (m.routeId === 'E17' && inc.method === 'GET') {
      // cm-rest-api.md Q1: GET on the status-update route is refused unless acceptGetStatusUpdate is on.
      if (
        rt.switches.acceptGetStatusUpdate &&
        inc.body.length > 0 &&
        isJsonType(inc.headers['content-type'])
      ) {
        method = 'PUT'
        m = matchRoute('PUT', target.segments)
      } else return webApiMethodNotAllowed('GET', ['PUT'], Q1_MESSAGE)
    }
    if (m.kind === 'method-not-allowed') return webApiMethodNotAllowed(inc.method, m.allow)
  }
  if (m.kind !== 'ok') return webApiNotFound(inc.absoluteUrl)
  let body: unknown = null
  if ((method === 'POST' || method === 'PUT') && inc.body.length > 0) {
    const ct = inc.headers['content-type']
    // cm-rest-api.md SIM-R8: a body with a non-JSON media type → 415.
    if (!isJsonType(ct))
      return webApiUnsupportedMediaType((ct ?? 'application/octet-stream').split(';')[0]!.trim())
    try {
      body = parseJsonBody(inc.body.toString('utf8'), !rt.switches.strict)
    } catch {
      return failureOut(rt, inc, new SimFailure('server-error', 'the request body is not valid JSON'), record)
    }
  }
  const warnings: string[] = []
  const ctx: HandlerContext = {
    rt,
    caller: auth.user,
    params: m.params,
    query: inc.query,
    body,
    method,
    absoluteUrl: inc.absoluteUrl,
    origin: inc.origin,
    headers: inc.headers,
    warn: (msg) => warnings.push(msg),
  }
  let out: Outgoing
  try {
    const reply = m.route.handler(ctx)
    const json = rt.switches.unknownEnumValues ? withUnknownEnums(reply.json) : reply.json
    out =
      json === undefined ? emptyOut(reply.status, reply.headers) : jsonOut(reply.status, json, reply.headers)
  } catch (e) {
    out = failureOut(rt, inc, e, record)
  }
  if (warnings.length) out.headers['X-Sim-Warning'] = warnings.join('; ')
  if (rt.switches.diagnosticHeaders) out.headers['X-Sim-Route'] = m.route.id
  return out
}

/** Responses of status faults (SIM-F2). */
function statusFault(
  rt: SimRuntime,
  a: Extract<FaultAction, { type: 'status' }>,
  inc: Incoming,
  record: (id: string, s: number, d: string) => void,
): Outgoing {
  switch (a.code) {
    case 500: {
      const id = newCorrelationId(rt)
      record(id, 500, a.message ?? 'injected fault')
      return errorOut(rt, 500, id, a.message ?? '')
    }
    case 403:
      return a.message ? jsonOut(403, { Message: a.message }) : forbiddenOut(rt)
    case 204:
      return emptyOut(204)
    case 401:
      return iisUnauthorized(challengeHeaders(rt, false))
    case 404:
      return webApiNotFound(inc.absoluteUrl)
    case 503:
      return iisUnavailable()
  }
}

function malformedOut(variant: string): Outgoing | null {
  switch (variant) {
    case 'invalid-json':
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: Buffer.from('{"Uuid":"0000,,]'),
      }
    case 'html-200':
      return htmlOut(200, 'Certificate Management', 'Please sign in.')
    case 'html-500':
      return htmlOut(500, 'Runtime Error', 'An application error occurred on the server.')
    case 'empty-200':
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: Buffer.alloc(0),
      }
    case 'null-200':
      return jsonOut(200, null)
    default:
      return null
  }
}

/** Handle one HTTP request end to end. */
export async function handle(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { rt } = deps
  const rawUrl = req.url ?? '/'
  const qi = rawUrl.indexOf('?')
  const path = qi < 0 ? rawUrl : rawUrl.slice(0, qi)
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`
  const body = await readBody(req, deps.maxBodyBytes)
  if (body === null) {
    sendOutgoing(deps.transport, res, jsonOut(413, { Message: 'Request entity too large.' }))
    return
  }
  const inc: Incoming = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: new SimQuery(qi < 0 ? '' : rawUrl.slice(qi + 1)),
    body,
    headers: req.headers,
    absoluteUrl: origin + rawUrl,
    origin,
  }
  const target = classifyPath(path)
  const match = target.kind === 'api' && target.segments ? matchRoute(inc.method, target.segments) : null
  const routeId =
    match && match.kind !== 'not-found' ? (match.kind === 'ok' ? match.route.id : match.routeId) : null
  const auth = authenticate(rt, req.headers, deps.defaultUser)
  let correlationId: string | null = null
  const record = (id: string, status: number, detail: string) => {
    correlationId = id
    rt.errors.push({
      correlationId: id,
      at: new Date(rt.clock.now()).toISOString(),
      method: inc.method,
      path,
      status,
      detail,
    })
    if (rt.errors.length > 200) rt.errors.shift()
    rt.logger.warn('cm-sim error response', { correlationId: id, status, route: routeId })
  }
  const decision = deps.faults.decide({
    method: inc.method,
    path,
    routeId,
    query: inc.query,
    userKeys: userKeys(auth),
  })
  const log = (status: number) => {
    rt.log.push({
      seq: rt.log.length + 1,
      at: new Date(rt.clock.now()).toISOString(),
      method: inc.method,
      path,
      queryNames: inc.query.names(),
      user: auth.kind === 'user' ? auth.user.Account : null,
      route: routeId,
      status,
      correlationId,
      fault: decision.ruleIds.length ? decision.ruleIds.join(',') : null,
    })
  }
  if (decision.latencyMs > 0) await deps.transport.sleep(decision.latencyMs)
  const a = decision.action
  const before = a && !('afterHandler' in a && a.afterHandler)
  if (a && before) {
    if (a.type === 'drop' && a.when === 'before-headers') return void (log(0), res.socket?.destroy())
    if (a.type === 'hang') return void (log(0), deps.transport.hold(res))
    if (a.type === 'status') {
      const out = statusFault(rt, a, inc, record)
      log(out.status)
      return sendOutgoing(deps.transport, res, out)
    }
    if (a.type === 'malformed') {
      const out = malformedOut(a.variant)
      if (out) {
        log(out.status)
        return sendOutgoing(deps.transport, res, out)
      }
    }
  }
  let out = process(deps, inc, auth, match, target, record)
  if (auth.kind === 'user' && auth.via !== 'cookie' && auth.via !== 'default' && rt.switches.sessionCookie) {
    // cm-rest-api.md SIM-A3: a session cookie after the first successful authentication.
    const sid = rt.rng.guid('session')
    rt.sessions.set(sid, auth.user.Uuid)
    out.headers['Set-Cookie'] = `${SESSION_COOKIE}=${sid}; path=/CertificateManagement; HttpOnly`
  }
  if (a && !before) {
    if (a.type === 'status') out = statusFault(rt, a, inc, record)
    else if (a.type === 'drop' && a.when === 'before-headers') return void (log(0), res.socket?.destroy())
    else if (a.type === 'hang') return void (log(0), deps.transport.hold(res))
  }
  log(out.status)
  if (a?.type === 'malformed' && a.variant === 'truncated-json' && out.body && out.body.length > 1) {
    out.body = out.body.subarray(0, Math.max(1, Math.floor(out.body.length / 2)))
  }
  if (a?.type === 'malformed' && a.variant === 'wrong-content-type')
    out.headers['Content-Type'] = 'text/html; charset=utf-8'
  if (a?.type === 'drop' && a.when === 'mid-body') return deps.transport.sendPartial(res, out)
  if (a?.type === 'slowBody') return deps.transport.sendSlow(res, out, a.bytesPerSec)
  sendOutgoing(deps.transport, res, out)
}

/** Re-export for the control plane's user listing. */
export type { SimUser }
