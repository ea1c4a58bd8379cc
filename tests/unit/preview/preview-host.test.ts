import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { startPreviewHost, type PreviewHost } from '../../../electron/preview/server'
import { EventBus } from '../../../electron/services/ipc/event-bus'
import type { Router } from '../../../electron/services/ipc/router'
import { createMemoryLogger } from '../../../electron/services/log'

let host: PreviewHost
let bus: EventBus
let router: Router & { dispatch: ReturnType<typeof vi.fn> }

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>station</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  bus = new EventBus()
  router = { dispatch: vi.fn(async (channel: unknown) => ({ ok: true as const, value: { channel } })) }
  host = await startPreviewHost({ router, bus, log: createMemoryLogger(), rendererDir: dir })
})

afterEach(async () => {
  await host.close()
})

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(path: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, origin ? { origin } : {})
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

const nextMessage = (ws: WebSocket) =>
  new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))))

describe('preview host', () => {
  it('prints a loopback URL carrying a random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[0-9a-f]{64}\/$/)
  })

  it('serves the page and its assets under the token, with the CSP', async () => {
    const page = await get(new URL(host.url).pathname)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>station</title>')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await get(`${new URL(host.url).pathname}assets/app.js`)).status).toBe(200)
  })

  it('refuses the page without the token, with a wrong token, or with a foreign Host header', async () => {
    expect((await get('/')).status).toBe(403)
    expect((await get('/index.html')).status).toBe(403)
    expect((await get(`/s/${'0'.repeat(64)}/`)).status).toBe(403)
    expect((await get(new URL(host.url).pathname, { host: `evil.example:${host.port}` })).status).toBe(403)
  })

  it('bridges calls to the router and events to the page', async () => {
    const path = `${new URL(host.url).pathname}bridge`
    const ws = await connect(path, `http://127.0.0.1:${host.port}`)
    ws.send(JSON.stringify({ id: 1, channel: 'reader:list', payload: {} }))
    expect(await nextMessage(ws)).toEqual({ id: 1, result: { ok: true, value: { channel: 'reader:list' } } })
    expect(router.dispatch).toHaveBeenCalledWith('reader:list', {}, { host: 'preview' })
    const event = nextMessage(ws)
    bus.emit('reader:changed', { service: 'available', readers: [] })
    expect(await event).toEqual({ event: 'reader:changed', payload: { service: 'available', readers: [] } })
    ws.close()
  })

  it('refuses a bridge without the token or from a foreign origin', async () => {
    const path = `${new URL(host.url).pathname}bridge`
    await expect(connect('/bridge', `http://127.0.0.1:${host.port}`)).rejects.toThrow(/403/)
    await expect(connect(path, 'http://evil.example')).rejects.toThrow(/403/)
    await expect(connect(path, undefined)).rejects.toThrow(/403/)
    expect(router.dispatch).not.toHaveBeenCalled()
  })

  it('closes the socket on a malformed frame without calling the router', async () => {
    const ws = await connect(`${new URL(host.url).pathname}bridge`, `http://127.0.0.1:${host.port}`)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send('not json')
    expect(await closed).toBe(1003)
    expect(router.dispatch).not.toHaveBeenCalled()
  })
})
