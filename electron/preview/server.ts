import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { contentType, CSP as APP_CSP, resolveInside } from '../services/static-files'
import type { EventBus } from '../services/ipc/event-bus'
import type { Router } from '../services/ipc/router'
import type { Logger } from '../services/log'

/** Inputs of the preview host. */
export interface PreviewHostOptions {
  router: Router
  bus: EventBus
  log: Logger
  /** Directory of the built renderer (out/renderer). */
  rendererDir: string
  /** 0 = random free port. Always bound to 127.0.0.1. */
  port?: number
  /** Per-run secret; random 32 bytes (hex) unless given (tests). */
  token?: string
}

/** A running preview host. */
export interface PreviewHost {
  /** The page URL, token included: http://127.0.0.1:<port>/s/<token>/ */
  url: string
  port: number
  token: string
  /** Connected bridge clients. */
  clients(): number
  close(): Promise<void>
}

/** Largest accepted WebSocket frame: requests are small commands. */
const MAX_FRAME_BYTES = 128 * 1024

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Host 2 of the router: serves the built renderer and bridges `window.station` over a WebSocket,
 * on 127.0.0.1 only. Every HTTP path and the socket live under /s/<token>/; anything else is refused.
 * The Host and Origin headers are checked too (DNS rebinding, cross-site WebSocket hijacking).
 */
export async function startPreviewHost(options: PreviewHostOptions): Promise<PreviewHost> {
  const token = options.token ?? randomBytes(32).toString('hex')
  const prefix = `/s/${token}/`
  const { log } = options
  let port = 0

  const hostOk = (req: IncomingMessage) =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`
  const tokenOk = (path: string) =>
    path.length >= prefix.length && sameSecret(path.slice(0, prefix.length), prefix)

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (!hostOk(req) || !tokenOk(path)) {
      res
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Forbidden: this station URL needs its token.')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const file = resolveInside(options.rendererDir, '/' + path.slice(prefix.length))
    if (!file) {
      res.writeHead(404).end()
      return
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': contentType(file),
          'content-security-policy': APP_CSP.replace(
            "connect-src 'self'",
            `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
          ),
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        res.end(req.method === 'HEAD' ? undefined : body)
      },
      () => res.writeHead(404).end(),
    )
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const origin = req.headers.origin
    const originOk = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
    if (!hostOk(req) || !originOk || !tokenOk(path) || path !== `${prefix}bridge`) {
      log.warn('preview: bridge connection refused', { origin: origin ?? null })
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const clients = new Set<WebSocket>()
  wss.on('connection', (ws) => {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', () => ws.terminate())
    ws.on('message', (data, isBinary) => {
      void handleFrame(ws, isBinary ? null : data.toString())
    })
  })

  async function handleFrame(ws: WebSocket, text: string | null): Promise<void> {
    let frame: unknown
    try {
      frame = text === null ? null : JSON.parse(text)
    } catch {
      frame = null
    }
    const msg = frame as { id?: unknown; channel?: unknown; payload?: unknown } | null
    if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number' || !Number.isSafeInteger(msg.id)) {
      ws.close(1003, 'bad frame')
      return
    }
    const result = await options.router.dispatch(msg.channel, msg.payload, { host: 'preview' })
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }))
  }

  const unsubscribe = options.bus.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload })
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}${prefix}`
  log.info('preview: listening', { port })

  return {
    url,
    port,
    token,
    clients: () => clients.size,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
