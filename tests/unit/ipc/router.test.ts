import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { CHANNEL_NAMES, EVENT_NAMES, channels } from '../../../shared/ipc/contract'
import { createRouter, MAX_REQUEST_BYTES, type Handlers } from '../../../electron/services/ipc/router'
import { createMemoryLogger } from '../../../electron/services/log'

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const base = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, () => ({ echo: c })])) as unknown as Handlers
  return { ...base, ...overrides }
}

const ctx = { host: 'test' as const }

describe('IPC router', () => {
  it('routes a valid call to its handler', async () => {
    const router = createRouter(handlers(), createMemoryLogger())
    expect(await router.dispatch('reader:list', {}, ctx)).toEqual({
      ok: true,
      value: { echo: 'reader:list' },
    })
  })

  it('refuses an unknown channel with a typed error', async () => {
    const router = createRouter(handlers(), createMemoryLogger())
    for (const name of ['reader:explode', '__proto__', 'constructor', 42, null, undefined]) {
      expect(await router.dispatch(name, {}, ctx)).toEqual({ ok: false, error: { code: 'unknown-channel' } })
    }
  })

  it('rejects a malformed payload with invalid-request and does not call the handler', async () => {
    let called = false
    const router = createRouter(
      handlers({
        'reader:list': () => {
          called = true
          return { service: 'available', readers: [] }
        },
      }),
      createMemoryLogger(),
    )
    for (const bad of [{ extra: 1 }, 'string', [1, 2], 7]) {
      expect(await router.dispatch('reader:list', bad, ctx)).toEqual({
        ok: false,
        error: { code: 'invalid-request' },
      })
    }
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(await router.dispatch('reader:list', cyclic, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid-request' },
    })
    expect(called).toBe(false)
  })

  it('rejects an oversized payload before parsing it', async () => {
    const router = createRouter(handlers(), createMemoryLogger())
    const big = { blob: 'x'.repeat(MAX_REQUEST_BYTES + 1) }
    expect(await router.dispatch('reader:list', big, ctx)).toEqual({
      ok: false,
      error: { code: 'payload-too-large' },
    })
  })

  it('maps a throwing handler to the catch-all code without leaking its text', async () => {
    const log = createMemoryLogger()
    const router = createRouter(
      handlers({
        'app:info': () => {
          throw new Error('database password is hunter2 at C:\\secret')
        },
      }),
      log,
    )
    const result = await router.dispatch('app:info', {}, ctx)
    expect(result).toEqual({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(result)).not.toContain('hunter2')
  })

  it('passes typed StationErrors through as their code (and correlation id) only', async () => {
    const router = createRouter(
      handlers({
        'app:info': async () => {
          throw new StationError(
            'server-error',
            { correlationId: '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11' },
            'raw 500 body',
          )
        },
      }),
      createMemoryLogger(),
    )
    expect(await router.dispatch('app:info', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'server-error', correlationId: '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11' },
    })
  })

  it('never logs request values that failed the schema (they may hold a PIN)', async () => {
    const log = createMemoryLogger()
    const router = createRouter(handlers(), log)
    await router.dispatch('reader:list', { pin: '918273' }, ctx)
    expect(log.lines.join('\n')).not.toContain('918273')
  })
})

describe('IPC contract', () => {
  it('names every channel and event area:verb in kebab case', () => {
    for (const name of [...CHANNEL_NAMES, ...EVENT_NAMES]) expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/)
  })

  it('declares a zod request schema for every channel', () => {
    for (const name of CHANNEL_NAMES) expect(typeof channels[name].request.safeParse).toBe('function')
  })
})
