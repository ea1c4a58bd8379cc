import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CmConnectionStatus } from '../../../shared/domain/cm-connection'
import { StationError, type ErrorCode } from '../../../shared/errors'
import { CmConnectionMonitor, type MonitorTimers } from '../../../electron/services/cm/connection'
import { createMemoryLogger } from '../../../electron/services/log'

/** The CM connection check: states, one timer re-armed after each check, joined checks, call outcomes, close. */

/** Manual timers: what is armed, and a way to fire it. */
function manualTimers() {
  let next = 1
  const armed = new Map<number, { fn: () => void; ms: number }>()
  const timers: MonitorTimers = {
    set(fn, ms) {
      const id = next++
      armed.set(id, { fn, ms })
      return id
    },
    clear(handle) {
      armed.delete(handle as number)
    },
  }
  return {
    timers,
    armed: () => [...armed.values()].map((t) => t.ms),
    fire() {
      const [id, t] = [...armed.entries()][0] ?? []
      if (id === undefined || !t) throw new Error('no timer armed')
      armed.delete(id)
      t.fn()
    },
  }
}

/** A probe whose answers the test hands out one by one. */
function scriptedProbe() {
  const pending: Array<{ resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal }> = []
  const probe = vi.fn(
    (o?: { signal?: AbortSignal }) =>
      new Promise<{ templates: number }>((resolve, reject) => {
        pending.push({ resolve: () => resolve({ templates: 2 }), reject, signal: o!.signal! })
      }),
  )
  return {
    probe,
    pending,
    pass: () => pending.shift()!.resolve(),
    fail: (code: ErrorCode, correlationId?: string) =>
      pending.shift()!.reject(new StationError(code, correlationId ? { correlationId } : {}, 'detail')),
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

function setup(training = false) {
  const t = manualTimers()
  const p = scriptedProbe()
  const log = createMemoryLogger()
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const monitor = new CmConnectionMonitor({
    cm: { probe: p.probe },
    host: 'cm.contoso.com',
    training,
    intervalSec: 180,
    log,
    now: () => new Date(clock),
    timers: t.timers,
  })
  const events: CmConnectionStatus[] = []
  monitor.onChange((s) => events.push(s))
  return {
    monitor,
    t,
    p,
    log,
    events,
    tick: (ms: number) => (clock += ms),
  }
}

afterEach(() => vi.restoreAllMocks())

describe('CmConnectionMonitor', () => {
  it('checks at start, then every intervalSec after the last check; each check says checking, then its result', async () => {
    const { monitor, t, p, events, tick } = setup()
    expect(monitor.current()).toEqual({
      state: 'checking',
      host: 'cm.contoso.com',
      training: false,
      checkedAt: null,
    })
    monitor.start()
    expect(p.probe).toHaveBeenCalledTimes(1)
    expect(t.armed()).toEqual([]) // no idle timer while a check runs
    p.pass()
    await flush()
    expect(events).toEqual([
      { state: 'checking', host: 'cm.contoso.com', training: false, checkedAt: null },
      { state: 'connected', host: 'cm.contoso.com', training: false, checkedAt: '2026-03-02T09:00:00.000Z' },
    ])
    expect(t.armed()).toEqual([180_000])

    tick(180_000)
    t.fire()
    expect(p.probe).toHaveBeenCalledTimes(2)
    expect(events.at(-1)).toEqual({
      state: 'checking',
      host: 'cm.contoso.com',
      training: false,
      checkedAt: '2026-03-02T09:00:00.000Z',
    })
    p.fail('windows-sign-in-failed')
    await flush()
    expect(events.at(-1)).toEqual({
      state: 'sign-in-failed',
      host: 'cm.contoso.com',
      training: false,
      checkedAt: '2026-03-02T09:03:00.000Z',
      code: 'windows-sign-in-failed',
    })
    expect(t.armed()).toEqual([180_000])
  })

  it.each<[ErrorCode, CmConnectionStatus['state']]>([
    ['windows-sign-in-failed', 'sign-in-failed'],
    ['network', 'unreachable'],
    ['timeout', 'unreachable'],
    ['not-found', 'server-error'],
    ['forbidden', 'server-error'],
    ['server-error', 'server-error'],
    ['invalid-response', 'server-error'],
  ])('%s → %s', async (code, state) => {
    const { monitor, p } = setup()
    const result = monitor.check()
    p.fail(code, code === 'server-error' ? '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11' : undefined)
    expect(await result).toMatchObject({ state, code })
    if (code === 'server-error')
      expect(monitor.current().correlationId).toBe('6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11')
  })

  it('an unexpected exception is a server-error with the catch-all code, never a crash', async () => {
    const { monitor, p } = setup()
    const result = monitor.check()
    p.pending.shift()!.reject(new TypeError('boom'))
    expect(await result).toMatchObject({ state: 'server-error', code: 'internal' })
  })

  it('a check asked while one runs joins it (one read); an on-demand check re-arms the idle timer', async () => {
    const { monitor, t, p } = setup()
    monitor.start()
    p.pass()
    await flush()
    expect(t.armed()).toEqual([180_000])
    const a = monitor.check()
    const b = monitor.check()
    expect(a).toBe(b)
    expect(t.armed()).toEqual([]) // disarmed while it runs
    expect(p.probe).toHaveBeenCalledTimes(2)
    p.fail('network')
    expect(await a).toMatchObject({ state: 'unreachable' })
    expect(t.armed()).toEqual([180_000])
  })

  it('a call outcome that contradicts the status starts a check; one that agrees or is a single refusal does not', async () => {
    const { monitor, p } = setup()
    monitor.start()
    p.pass()
    await flush()
    monitor.observe({ ok: true })
    monitor.observe({ ok: false, code: 'server-error' }) // one request's 500 says nothing about the connection
    monitor.observe({ ok: false, code: 'forbidden' })
    expect(p.probe).toHaveBeenCalledTimes(1)
    monitor.observe({ ok: false, code: 'windows-sign-in-failed' })
    expect(p.probe).toHaveBeenCalledTimes(2)
    monitor.observe({ ok: false, code: 'network' }) // joins the running check
    expect(p.probe).toHaveBeenCalledTimes(2)
    p.fail('windows-sign-in-failed')
    await flush()
    monitor.observe({ ok: false, code: 'windows-sign-in-failed' })
    expect(p.probe).toHaveBeenCalledTimes(2)
    monitor.observe({ ok: true }) // sign-in works again: confirm at once
    expect(p.probe).toHaveBeenCalledTimes(3)
    p.pass()
    await flush()
    expect(monitor.current().state).toBe('connected')
  })

  it('logs a change of state once (warn for failures), not every unchanged check', async () => {
    const { monitor, t, p, log } = setup()
    monitor.start()
    p.fail('windows-sign-in-failed')
    await flush()
    t.fire()
    p.fail('windows-sign-in-failed')
    await flush()
    t.fire()
    p.pass()
    await flush()
    const lines = log.lines.filter((l) => l.includes('"cm: connection"')).map((l) => JSON.parse(l) as object)
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', state: 'sign-in-failed', host: 'cm.contoso.com' }),
      expect.objectContaining({ level: 'info', state: 'connected' }),
    ])
  })

  it('close(): the timer is cleared, a running check aborted, no event after, later checks answer the last status', async () => {
    const { monitor, t, p, events } = setup()
    monitor.start()
    p.pass()
    await flush()
    t.fire()
    const running = p.pending[0]!
    const count = events.length
    monitor.close()
    expect(running.signal.aborted).toBe(true)
    expect(t.armed()).toEqual([])
    running.reject(new Error('aborted'))
    await flush()
    expect(events).toHaveLength(count)
    expect(t.armed()).toEqual([])
    expect(await monitor.check()).toMatchObject({ state: 'checking' })
    expect(p.probe).toHaveBeenCalledTimes(2)
  })

  it('training mode says so in every status', async () => {
    const { monitor, p } = setup(true)
    const result = monitor.check()
    p.pass()
    expect(await result).toMatchObject({ state: 'connected', training: true })
  })

  it('the default timer is unref’d: it never keeps the process alive', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout')
    const monitor = new CmConnectionMonitor({
      cm: { probe: async () => ({ templates: 1 }) },
      host: 'cm.contoso.com',
      training: false,
      intervalSec: 3600,
      log: createMemoryLogger(),
    })
    await monitor.check()
    const handle = spy.mock.results.find((r) => r.type === 'return')?.value as NodeJS.Timeout
    expect(handle.hasRef()).toBe(false)
    monitor.close()
  })
})
