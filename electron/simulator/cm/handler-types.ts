import type { IncomingHttpHeaders } from 'node:http'
import type { SimUser } from './model'
import type { SimQuery } from './query'
import type { SimRuntime } from './runtime'

/** What a handler returns: a status and a JSON value (undefined = no body, e.g. 204). */
export interface SimReply {
  status: number
  json?: unknown
  headers?: Record<string, string>
}

/** Everything a route handler may use. */
export interface HandlerContext {
  rt: SimRuntime
  caller: SimUser
  params: Record<string, string>
  query: SimQuery
  body: unknown
  method: string
  /** Absolute request URI, for Web API messages. */
  absoluteUrl: string
  /** `scheme://host` the client used, for the optional Location header. */
  origin: string
  headers: IncomingHttpHeaders
  /** Add an `X-Sim-Warning` header (SIM-A4). */
  warn(message: string): void
}

/** A route handler. */
export type Handler = (ctx: HandlerContext) => SimReply

/** 200 with a JSON body. */
export const ok = (json: unknown): SimReply => ({ status: 200, json })

/** A list body honouring `emptyListStatus` (SIM-E3). */
// ASSUMPTION OQ-02: an empty list is 200 [] by default; 204 when emptyListStatus=204.
export function listReply(ctx: HandlerContext, items: unknown[]): SimReply {
  if (items.length === 0 && ctx.rt.switches.emptyListStatus === 204) return { status: 204 }
  return ok(items)
}

/** 201 with the relative URI as a bare JSON string, no Location by default (§1.8, SIM-R11). */
// ASSUMPTION OQ-17: no Location header unless emitLocationHeader.
export function created(ctx: HandlerContext, kind: 'requests' | 'smartcards', uuid: string): SimReply {
  const rel = `api/v1.0/${kind}/${uuid.toLowerCase()}`
  const reply: SimReply = { status: 201, json: rel }
  if (ctx.rt.switches.emitLocationHeader)
    reply.headers = { Location: `${ctx.origin}/CertificateManagement/${rel}` }
  return reply
}

/** The `targetuser` rule (SIM-A4): absent or "current" is fine; anything else is ignored with a warning. */
// ASSUMPTION OQ-22: other targetuser values are ignored with an X-Sim-Warning header.
export function checkTargetUser(ctx: HandlerContext): void {
  const t = ctx.query.get('targetuser')
  if (t !== undefined && t.trim().toLowerCase() !== 'current') {
    ctx.warn(`targetuser '${t}' is not supported; the current user is used`)
  }
}
