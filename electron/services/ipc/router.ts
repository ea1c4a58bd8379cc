import { ALL_ERROR_CODES, StationError, type ErrorInfo } from '../../../shared/errors'
import {
  channels,
  isChannelName,
  type ChannelName,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/ipc/contract'
import type { Result } from '../../../shared/result'
import type { Logger } from '../log'

/** Who is calling; hosts fill it after their own sender check. */
export interface CallContext {
  /** Transport that delivered the call, for logs. */
  host: 'electron' | 'preview' | 'test'
}

/** One handler per channel: returns the value, or throws a StationError for a typed failure. */
export type Handlers = {
  [C in ChannelName]: (request: RequestOf<C>, ctx: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>
}

/** Largest accepted request, as JSON text. Requests are small commands; anything bigger is hostile. */
export const MAX_REQUEST_BYTES = 64 * 1024

/** The transport-agnostic IPC router: both Electron's ipcMain and the preview WebSocket call `dispatch`. */
export interface Router {
  /** Parse, route and run one call. Never throws; every failure is a closed error code. */
  dispatch(channel: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>>
}

function size(payload: unknown): number | null {
  try {
    const text = JSON.stringify(payload ?? {})
    return text === undefined ? null : Buffer.byteLength(text, 'utf8')
  } catch {
    return null // cyclic structures, BigInt: not JSON-plain, so not a valid request
  }
}

function toInfo(error: unknown): ErrorInfo {
  if (error instanceof StationError && ALL_ERROR_CODES.includes(error.code)) return error.toInfo()
  return { code: 'internal' }
}

/** Build the router over a complete handler table. */
export function createRouter(handlers: Handlers, log: Logger): Router {
  return {
    async dispatch(channel, payload, ctx) {
      if (!isChannelName(channel)) {
        log.warn('ipc: unknown channel refused', { host: ctx.host, channel: String(channel).slice(0, 64) })
        return { ok: false, error: { code: 'unknown-channel' } }
      }
      const bytes = size(payload)
      if (bytes === null) return { ok: false, error: { code: 'invalid-request' } }
      if (bytes > MAX_REQUEST_BYTES) {
        log.warn('ipc: oversized payload refused', { host: ctx.host, channel, bytes })
        return { ok: false, error: { code: 'payload-too-large' } }
      }
      const parsed = channels[channel].request.safeParse(payload ?? {})
      if (!parsed.success) {
        // Issue paths only (no values): a payload may carry a PIN.
        log.warn('ipc: request failed schema', {
          host: ctx.host,
          channel,
          paths: parsed.error.issues.map((i) => i.path.join('.')).slice(0, 5),
        })
        return { ok: false, error: { code: 'invalid-request' } }
      }
      try {
        const handler = handlers[channel] as (req: unknown, ctx: CallContext) => unknown
        const value = await handler(parsed.data, ctx)
        return { ok: true, value }
      } catch (error) {
        const info = toInfo(error)
        if (info.code === 'internal') log.error('ipc: handler failed', { channel, error })
        else log.info('ipc: handler returned failure', { channel, code: info.code })
        return { ok: false, error: info }
      }
    },
  }
}
