import type { CmFetch, CmFetchInit, CmFetchResponse } from '../../../electron/services/cm/http'
import { CmClient, type CmClientOptions } from '../../../electron/services/cm/client'
import { createMemoryLogger } from '../../../electron/services/log'

/** One request as the fake server saw it. */
export interface SeenRequest {
  url: URL
  /** The URL exactly as the client built it (encoding preserved). */
  rawUrl: string
  method: string
  headers: Record<string, string>
  body: string | undefined
}

/** A scripted reply: a response, a thrown network error, a hang (until aborted), or a body that fails. */
export type FakeReply =
  | {
      status: number
      body?: string
      contentType?: string | null
      setCookie?: string[]
      /** Other response headers (lower-case names; a repeated field already joined with ", ", as fetch does). */
      headers?: Record<string, string>
      bodyError?: Error
      /** Headers arrive, the body never does (until the request is aborted). */
      bodyHang?: boolean
    }
  | { network: Error }
  | 'hang'

/** Reply with JSON. */
export function json(
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
): FakeReply {
  return { status, body: JSON.stringify(value), contentType }
}

/** Reply with raw text. */
export function raw(
  status: number,
  body: string,
  contentType: string | null = 'application/json; charset=utf-8',
) {
  return { status, body, contentType } satisfies FakeReply
}

function abortable(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

/** A fetch-compatible fake driven by a handler; `calls` records every request. */
export function fakeFetch(handler: (req: SeenRequest, n: number) => FakeReply | Promise<FakeReply>) {
  const calls: SeenRequest[] = []
  const fetch: CmFetch = async (url: string, init: CmFetchInit): Promise<CmFetchResponse> => {
    const seen: SeenRequest = {
      url: new URL(url),
      rawUrl: url,
      method: init.method,
      headers: init.headers,
      body: init.body,
    }
    calls.push(seen)
    if (init.signal.aborted) throw init.signal.reason
    const reply = await Promise.race([handler(seen, calls.length), abortable(init.signal)])
    if (reply === 'hang') return abortable(init.signal)
    if ('network' in reply) throw new TypeError('fetch failed', { cause: reply.network })
    const headers = new Map<string, string>(Object.entries(reply.headers ?? {}))
    if (reply.contentType) headers.set('content-type', reply.contentType)
    return {
      status: reply.status,
      headers: {
        get: (name: string) => headers.get(name.toLowerCase()) ?? null,
        getSetCookie: () => reply.setCookie ?? [],
      },
      text: async () => {
        if (reply.bodyError) throw reply.bodyError
        if (reply.bodyHang) return abortable(init.signal)
        return reply.body ?? ''
      },
    }
  }
  return { fetch, calls }
}

/** A client over a fake fetch with instant, recorded sleeps and a memory logger. */
export function clientWith(
  handler: (req: SeenRequest, n: number) => FakeReply | Promise<FakeReply>,
  extra: Partial<CmClientOptions> = {},
) {
  const { fetch, calls } = fakeFetch(handler)
  const log = createMemoryLogger()
  const sleeps: number[] = []
  const client = new CmClient({
    appRoot: 'https://cm.example.test/CertificateManagement/',
    fetch,
    timeoutMs: 2000,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    log,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    ...extra,
  })
  return { client, calls, log, sleeps }
}
