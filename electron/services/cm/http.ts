import { StationError, type CmErrorCode } from '../../../shared/errors'
import type { Logger } from '../log'
import { redactUrl } from '../redact'
import type { CmCookieJar } from './cookie-jar'
import { extractCorrelationId, extractMessage } from './correlation'
import { offeredAuthSchemes, offersWindowsSignIn } from './www-authenticate'

/**
 * The CM REST transport: URL building, headers, auth, timeouts, retries and the HTTP-status → closed
 * error-code mapping of cm-rest-api.md §1.7. Plain Node: Electron passes net.fetch, Node passes fetch.
 */

/** The subset of fetch's init the transport uses (global fetch and Electron's net.fetch both accept it). */
export interface CmFetchInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
  credentials?: 'include' | 'omit' | 'same-origin'
}

/** The subset of a fetch Response the transport reads. */
export interface CmFetchResponse {
  status: number
  headers: { get(name: string): string | null; getSetCookie?(): string[] }
  text(): Promise<string>
}

/** A fetch-compatible function. */
export type CmFetch = (url: string, init: CmFetchInit) => Promise<CmFetchResponse>

/** Retry policy for idempotent calls only (GETs and the status PUTs E08/E17). */
export interface CmRetryPolicy {
  /** Total attempts including the first (1 = never retry). */
  attempts: number
  /** Delay before the first retry; doubles per retry. */
  baseDelayMs: number
  /** Upper bound of one delay. */
  maxDelayMs: number
}

/** Transport options (the CmClient passes its own through). */
export interface CmHttpOptions {
  /** CM web application root, e.g. https://cm.contoso.com/CertificateManagement (§1.1). */
  appRoot: string
  fetch: CmFetch
  /** Per-attempt timeout, covering headers and body. */
  timeoutMs: number
  retry: CmRetryPolicy
  /** Produces the `Authorization` header value (e.g. `Negotiate …`, `Bearer …`), or undefined (§1.5). */
  auth?: () => Promise<string | undefined>
  log: Logger
  /** [0,1) source for backoff jitter (injectable for tests). */
  random?: () => number
  /** Abortable delay (injectable for tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Optional cookie jar (Node transports; Electron's session keeps cookies itself). */
  cookieJar?: CmCookieJar
  /** Passed to fetch; Electron uses 'include' so the platform performs Negotiate (§1.5). */
  credentials?: 'include' | 'omit' | 'same-origin'
  /**
   * Told how every call ended (after its retries; not when the caller aborted it): success, or the closed code.
   * The connection check listens, so a 401 in the middle of an enrollment shows in the status at once.
   */
  onOutcome?: (outcome: { ok: true } | { ok: false; code: CmErrorCode }) => void
}

/** One logical API call. */
export interface CmCall {
  /** Endpoint id for logs, e.g. 'E07'. */
  endpoint: string
  method: 'GET' | 'POST' | 'PUT'
  /** Path under `/api/v1.0`, starting with '/', ids already normalised. */
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  /** Retried on network errors, timeouts and 5xx. Never true for POSTs. */
  idempotent: boolean
  /** E14/E15/E16: nothing derived from the response body may be logged. */
  secret?: boolean
  /** E16 fallback: accept a bare `text/plain` body (Q2). */
  allowText?: boolean
  /** Attempts of an idempotent call, overriding the retry policy's (1 = a single try: the connection check). */
  attempts?: number
  signal?: AbortSignal | undefined
}

/** What a successful call yields: `undefined` for 204 or a JSON `null` body (OQ-02). */
export interface CmReply {
  status: number
  value: unknown
}

/** Largest response body accepted; the biggest documented body (E22) is ~6 KB. */
const MAX_BODY_CHARS = 8 * 1024 * 1024

const API_PREFIX = '/api/v1.0'

/** Default abortable sleep. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Backoff before retry number `retry` (1-based): exponential, capped, "equal jitter" in [d/2, d). */
export function backoffDelay(policy: CmRetryPolicy, retry: number, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.round(exp / 2 + random() * (exp / 2))
}

/** Transient failures (network, timeout, 5xx) are marked so; only those are retried. */
const RETRYABLE = new WeakSet<StationError>()

function isRetryable(error: unknown): boolean {
  return error instanceof StationError && RETRYABLE.has(error)
}

function fail(code: CmErrorCode, detail: string, retryable: boolean, correlationId?: string): StationError {
  const err = new StationError(code, correlationId ? { correlationId } : {}, detail)
  if (retryable) RETRYABLE.add(err)
  return err
}

/** `/api/v1.0<path>?<query>`: the part of a URL that may be logged (after redactUrl). */
function relative(path: string, query?: Record<string, string | undefined>): string {
  const q = Object.entries(query ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')
  return `${API_PREFIX}${path}${q ? `?${q}` : ''}`
}

function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /^\s*(application|text)\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType)
}

function isPlainText(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/plain\s*(;|$)/i.test(contentType)
}

/** The transport. One instance per CM server. */
export class CmHttp {
  private readonly base: string
  private readonly random: () => number
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>

  constructor(private readonly opts: CmHttpOptions) {
    // Keep the app root separate: 201 bodies are relative to it (§1.1, §1.8).
    this.base = opts.appRoot.replace(/\/+$/, '')
    this.random = opts.random ?? Math.random
    this.sleep = opts.sleep ?? abortableSleep
  }

  /** Absolute URL of an API path (query values always encodeURIComponent'ed, Q18). */
  url(path: string, query?: Record<string, string | undefined>): string {
    return `${this.base}${relative(path, query)}`
  }

  /** Run a call with the retry policy; throws StationError (or the caller's abort reason). */
  async send(call: CmCall): Promise<CmReply> {
    try {
      const reply = await this.sendWithRetries(call)
      this.tell({ ok: true })
      return reply
    } catch (error) {
      if (!call.signal?.aborted && error instanceof StationError) {
        this.tell({ ok: false, code: error.code as CmErrorCode })
      }
      throw error
    }
  }

  private tell(outcome: { ok: true } | { ok: false; code: CmErrorCode }): void {
    try {
      this.opts.onOutcome?.(outcome)
    } catch {
      // An observer never changes a call's result.
    }
  }

  private async sendWithRetries(call: CmCall): Promise<CmReply> {
    const max = call.idempotent ? Math.max(1, Math.floor(call.attempts ?? this.opts.retry.attempts)) : 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(call, attempt)
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason
        if (attempt >= max || !isRetryable(error)) throw error
        const delay = backoffDelay(this.opts.retry, attempt, this.random)
        this.opts.log.info('cm: retrying', {
          endpoint: call.endpoint,
          method: call.method,
          attempt,
          delayMs: delay,
          code: (error as StationError).code,
        })
        await this.sleep(delay, call.signal)
      }
    }
  }

  private async headers(url: string, hasBody: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (hasBody) headers['Content-Type'] = 'application/json'
    if (this.opts.auth) {
      let value: string | undefined
      try {
        value = await this.opts.auth()
      } catch {
        throw fail('windows-sign-in-failed', 'authorization provider failed', false)
      }
      if (value) headers.Authorization = value
    }
    const cookie = this.opts.cookieJar?.header(url)
    if (cookie) headers.Cookie = cookie
    return headers
  }

  private async attempt(call: CmCall, attempt: number): Promise<CmReply> {
    const rel = relative(call.path, call.query)
    const url = `${this.base}${rel}`
    const logUrl = redactUrl(rel)
    const hasBody = call.body !== undefined
    const headers = await this.headers(url, hasBody)
    const timeout = new AbortController()
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal
    const timer = setTimeout(() => timeout.abort(new Error('cm timeout')), this.opts.timeoutMs)
    const started = Date.now()
    const where = `${call.endpoint} ${call.method} ${logUrl}`
    const classifyThrown = (error: unknown, phase: string): never => {
      if (call.signal?.aborted) throw call.signal.reason
      if (error instanceof StationError) throw error
      if (timeout.signal.aborted)
        throw fail('timeout', `${where}: no ${phase} within ${this.opts.timeoutMs} ms`, true)
      const cause =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : ''
      throw fail('network', `${where}: ${phase} failed (${redactUrl(cause).slice(0, 200)})`, true)
    }
    try {
      const init: CmFetchInit = { method: call.method, headers, signal }
      if (hasBody) init.body = JSON.stringify(call.body)
      if (this.opts.credentials) init.credentials = this.opts.credentials
      let res: CmFetchResponse
      try {
        res = await this.opts.fetch(url, init)
      } catch (error) {
        return classifyThrown(error, 'response')
      }
      const setCookie = res.headers.getSetCookie?.() ?? []
      if (this.opts.cookieJar && setCookie.length > 0) this.opts.cookieJar.store(url, setCookie)
      let text: string
      try {
        text = await res.text()
      } catch (error) {
        return classifyThrown(error, 'body')
      }
      const status = res.status
      this.opts.log.debug('cm: response', {
        endpoint: call.endpoint,
        method: call.method,
        url: logUrl,
        status,
        attempt,
        ms: Date.now() - started,
      })
      return this.interpret(call, where, status, res.headers, text)
    } finally {
      clearTimeout(timer)
    }
  }

  private interpret(
    call: CmCall,
    where: string,
    status: number,
    headers: CmFetchResponse['headers'],
    text: string,
  ): CmReply {
    const contentType = headers.get('content-type')
    if (status === 401) {
      // IIS refused the Windows sign-in (§1.5, §1.7): its body is an HTML error page and is never read, logged or
      // shown. What helps IT is which schemes the site offers: Negotiate/NTLM (Windows Authentication is on, so
      // the desk's ticket or account was refused), only Basic or Bearer (the site is not set up for WIA).
      const offered = offeredAuthSchemes(headers.get('www-authenticate'))
      this.opts.log.warn('cm: Windows sign-in refused', {
        endpoint: call.endpoint,
        method: call.method,
        status,
        offered,
        windowsSignInOffered: offersWindowsSignIn(offered),
      })
      throw fail('windows-sign-in-failed', `${where}: 401 (offered: ${offered.join(', ') || 'none'})`, false)
    }
    if (status === 403 || status === 404) {
      this.opts.log.warn('cm: call refused', { endpoint: call.endpoint, method: call.method, status })
    }
    if (status === 403) throw fail('forbidden', `${where}: 403`, false)
    // §1.6 / Q17: a 404 means "API disabled (Clm.WebApi.Enabled) or wrong base URL"; never parse its body.
    if (status === 404) throw fail('not-found', `${where}: 404 (API disabled or wrong base URL)`, false)
    if (status < 200 || status > 299) {
      const correlationId = extractCorrelationId(text.slice(0, MAX_BODY_CHARS))
      this.opts.log.warn('cm: server error', {
        endpoint: call.endpoint,
        method: call.method,
        status,
        correlationId,
        // Error text of the secret endpoints stays out of the logs entirely.
        ...(call.secret ? {} : { message: extractMessage(text, 300) }),
      })
      // 5xx (incl. 503) may be transient; other statuses (400/405/409/415) are the server refusing the call.
      throw fail('server-error', `${where}: ${status}`, status >= 500, correlationId)
    }
    // ASSUMPTION OQ-02: 204 = nothing to return; never parse a 204 body (§1.7).
    if (status === 204 || status === 205) return { status, value: undefined }
    if (text.length > MAX_BODY_CHARS) throw fail('invalid-response', `${where}: body too large`, false)
    const body = text.replace(/^\uFEFF/, '')
    if (body.trim() === '') throw fail('invalid-response', `${where}: ${status} with an empty body`, false)
    if (!isJsonType(contentType)) {
      // Q2: the server-proposed PIN may come as bare text; HTML (login pages, IIS errors) never counts.
      if (call.allowText && isPlainText(contentType)) return { status, value: body.trim() }
      throw fail('invalid-response', `${where}: content type ${String(contentType).slice(0, 60)}`, false)
    }
    let value: unknown
    try {
      value = JSON.parse(body)
    } catch {
      throw fail('invalid-response', `${where}: malformed JSON`, false)
    }
    // A 200 whose body is `null` counts as 204 (§1.7).
    return { status, value: value === null ? undefined : value }
  }
}
