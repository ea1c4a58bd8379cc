import { isErrorCode, type ErrorInfo } from '../../shared/errors'
import type { StationTransport } from '../../shared/ipc/api'
import { isEventName, type EventName } from '../../shared/ipc/contract'
import type { Result } from '../../shared/result'

/** State of the preview bridge's socket. */
export type LinkStatus = 'connecting' | 'open' | 'closed'

/** What the UI may know about the bridge connection (never the socket itself). */
export interface BridgeLink {
  /** Current state. */
  status(): LinkStatus
  /** Follow state changes; returns the unsubscribe function. */
  onStatus(listener: (status: LinkStatus) => void): () => void
}

/** The part of the DOM WebSocket the transport uses (a fake one in tests). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  send(data: string): void
  close(): void
}

/** Options of {@link createWsTransport}; everything but `url` has a browser default. */
export interface WsTransportOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  /** Delay before reconnect attempt `attempt` (0-based), in ms. */
  backoff?: (attempt: number) => number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** The preview bridge transport: a StationTransport plus its link state. */
export interface WsTransport extends StationTransport, BridgeLink {
  /** Stop for good: close the socket, fail pending calls, no more reconnects. */
  close(): void
}

/** Frames larger than this are dropped: snapshots are a few kB; anything huge is not ours. */
export const MAX_FRAME_CHARS = 1024 * 1024

/** Default reconnect delay: 250 ms doubling to a 5 s ceiling (loopback host; it restarts fast). */
export function defaultBackoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000)
}

const DISCONNECTED: Result<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'disconnected' }),
})

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Rebuild a Result from the wire, keeping only known fields and closed codes (never raw text). */
function toResult(value: unknown): Result<unknown> {
  if (isRecord(value) && value.ok === true) return { ok: true, value: value.value }
  if (isRecord(value) && value.ok === false && isRecord(value.error)) {
    const { code, correlationId, triesLeft } = value.error
    const error: ErrorInfo = { code: isErrorCode(code) ? code : 'internal' }
    if (typeof correlationId === 'string') error.correlationId = correlationId.slice(0, 128)
    if (typeof triesLeft === 'number' && Number.isInteger(triesLeft)) error.triesLeft = triesLeft
    return { ok: false, error }
  }
  return { ok: false, error: { code: 'internal' } }
}

/**
 * The browser-preview transport: JSON text frames over one WebSocket.
 * client→server `{ id, channel, payload }`; server→client `{ id, result }` or `{ event, payload }`.
 * Calls made while the socket is not open, and calls pending when it closes, resolve `disconnected`.
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)
  const backoff = options.backoff ?? defaultBackoff
  const setTimer = options.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms))
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>))

  const pending = new Map<number, (result: Result<unknown>) => void>()
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<(status: LinkStatus) => void>()
  let socket: SocketLike | null = null
  let status: LinkStatus = 'closed'
  let nextId = 1
  let attempt = 0
  let timer: unknown = null
  let stopped = false

  function setStatus(next: LinkStatus): void {
    if (next === status) return
    status = next
    for (const listener of [...statusListeners]) listener(next)
  }

  function failPending(): void {
    const waiting = [...pending.values()]
    pending.clear()
    for (const resolve of waiting) resolve(DISCONNECTED)
  }

  function onFrame(data: unknown): void {
    if (typeof data !== 'string' || data.length > MAX_FRAME_CHARS) return
    let message: unknown
    try {
      message = JSON.parse(data)
    } catch {
      return // not ours: ignore rather than break the link
    }
    if (!isRecord(message)) return
    if (typeof message.id === 'number') {
      const resolve = pending.get(message.id)
      if (!resolve) return
      pending.delete(message.id)
      resolve(toResult(message.result))
    } else if (isEventName(message.event)) {
      for (const listener of [...(eventListeners.get(message.event) ?? [])]) {
        try {
          listener(message.payload)
        } catch {
          // One broken listener must not starve the others.
        }
      }
    }
  }

  function connect(): void {
    timer = null
    if (stopped) return
    setStatus('connecting')
    let current: SocketLike
    try {
      current = createSocket(options.url)
    } catch {
      scheduleReconnect()
      return
    }
    socket = current
    current.onopen = () => {
      if (socket !== current) return
      attempt = 0
      setStatus('open')
    }
    current.onmessage = (event) => {
      if (socket === current) onFrame(event.data)
    }
    current.onerror = () => {
      // A close event always follows; reconnecting happens there.
    }
    current.onclose = () => {
      if (socket !== current) return
      socket = null
      failPending()
      if (!stopped) scheduleReconnect()
    }
  }

  function scheduleReconnect(): void {
    setStatus('closed')
    if (stopped || timer !== null) return
    timer = setTimer(connect, backoff(attempt))
    attempt += 1
  }

  connect()

  return {
    invoke(channel, payload) {
      if (status !== 'open' || !socket) return Promise.resolve(DISCONNECTED)
      const id = nextId++
      let text: string
      try {
        text = JSON.stringify({ id, channel, payload })
      } catch {
        return Promise.resolve({ ok: false, error: { code: 'invalid-request' } })
      }
      const target = socket
      return new Promise((resolve) => {
        pending.set(id, resolve)
        try {
          target.send(text)
        } catch {
          pending.delete(id)
          resolve(DISCONNECTED)
        }
      })
    },
    subscribe(event, listener) {
      let set = eventListeners.get(event)
      if (!set) eventListeners.set(event, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => {
        statusListeners.delete(listener)
      }
    },
    close() {
      stopped = true
      if (timer !== null) clearTimer(timer)
      timer = null
      const current = socket
      socket = null
      failPending()
      setStatus('closed')
      current?.close()
    },
  }
}
