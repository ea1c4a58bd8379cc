import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CmSimulator, SimSnapshot } from '../../../electron/simulator/cm/index'
import { api, auth, call, startSim } from './helpers'

/** SIM-F1..F4: fault injection rules, actions and presets. */

let sim: CmSimulator
let start: SimSnapshot
beforeAll(async () => {
  sim = await startSim({ scenario: 'training', clockStart: '2024-05-06T10:00:00Z' })
  start = sim.control.snapshot()
})
beforeEach(() => {
  sim.control.restore(start)
  sim.control.clearFaults()
  sim.control.clearLog()
  sim.control.setSwitches({
    unknownEnumValues: false,
    errorBodyVariant: 'message',
    legacyVscRenewForbidden: false,
    onlineUpdateConflict: false,
  })
})
afterAll(() => sim.close())

const CARD = '438d1b30-f3b4-4bed-85fa-285e08605ba7'
const cardPath = api(`smartcards/${CARD}`)
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

describe('status actions (SIM-F2)', () => {
  it('500 carries a correlation id that lastErrors and the request log expose (SIM-E1)', async () => {
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'status', code: 500 } })
    const res = await call(sim, 'GET', cardPath)
    expect(res.status).toBe(500)
    const { Message } = res.json() as { Message: string }
    const id = Message.match(GUID)![0]
    expect(Message).toBe(`An error has occurred. Correlation ID: ${id}`)
    expect(sim.control.lastErrors(1)[0]).toMatchObject({ correlationId: id, status: 500, path: cardPath })
    expect(sim.control.requestLog().at(-1)).toMatchObject({
      correlationId: id,
      status: 500,
      route: 'E13',
      user: 'CORP\\jdoe',
    })
  })

  it('403, 204, 401, 404 and 503 have their own shapes', async () => {
    const codes = [403, 204, 401, 404, 503] as const
    for (const code of codes) {
      const id = sim.control.addFault({ match: { route: 'E13' }, action: { type: 'status', code } })
      const res = await call(sim, 'GET', cardPath)
      sim.control.removeFault(id)
      expect(res.status).toBe(code)
      if (code === 204) expect(res.text).toBe('')
      if (code === 401) expect(res.headers.get('www-authenticate')).toContain('Negotiate')
      if (code === 503) expect(res.headers.get('content-type')).toBe('text/html')
      if (code === 404) expect(res.json()).toHaveProperty('Message')
    }
  })

  it('afterHandler runs the real handler first: the change sticks although the client saw 204 (OQ-14)', async () => {
    sim.control.addFault({
      match: { route: 'E08', times: 1 },
      action: { type: 'status', code: 204, afterHandler: true },
    })
    const rid = '7c000000-0000-4000-8000-000000000001' // pending
    const res = await call(sim, 'PUT', api(`requests/${rid}`), { body: { status: 'Canceled' } })
    expect(res.status).toBe(204)
    expect((await call(sim, 'GET', api(`requests/${rid}`))).json()).toMatchObject({ Status: 17 })
  })
})

describe('match conditions (SIM-F1)', () => {
  it('nth, times, method, pathRegex, query and user', async () => {
    sim.control.addFault({ match: { route: 'E13', nth: 2 }, action: { type: 'status', code: 503 } })
    expect((await call(sim, 'GET', cardPath)).status).toBe(200)
    expect((await call(sim, 'GET', cardPath)).status).toBe(503)
    expect((await call(sim, 'GET', cardPath)).status).toBe(200)
    sim.control.clearFaults()
    sim.control.addFault({
      match: { pathRegex: '/smartcards/438D1B30', times: 2, user: 'CORP\\JDOE', method: 'get' },
      action: { type: 'status', code: 403 },
    })
    expect((await call(sim, 'GET', cardPath, { as: 'CORP\\Administrator' })).status).toBe(200)
    expect((await call(sim, 'GET', cardPath)).status).toBe(403)
    expect((await call(sim, 'GET', cardPath)).status).toBe(403)
    expect((await call(sim, 'GET', cardPath)).status).toBe(200)
    expect(sim.control.listFaults()[0]).toMatchObject({ seen: 3, fired: 2 })
    sim.control.clearFaults()
    sim.control.addFault({
      match: { query: { CardId: 'd1ef6869-5517-42a0-8f05-16ca1a0b834d' } },
      action: { type: 'status', code: 503 },
    })
    expect(
      (await call(sim, 'GET', api('smartcards?cardid=d1ef6869-5517-42a0-8f05-16ca1a0b834d'))).status,
    ).toBe(503)
    expect(
      (await call(sim, 'GET', api('smartcards?cardid=23cadd5f-020d-4c3b-a5ca-307b7a06f9c9'))).status,
    ).toBe(200)
  })

  it('probability draws from the seeded RNG: the same seed fires on the same requests', async () => {
    const pattern = async (s: CmSimulator) => {
      s.control.addFault({ match: { route: 'E13', probability: 0.5 }, action: { type: 'status', code: 503 } })
      const out: number[] = []
      for (let i = 0; i < 16; i++) out.push((await call(s, 'GET', cardPath)).status)
      return out
    }
    const a = await pattern(sim)
    const other = await startSim({ scenario: 'training', clockStart: '2024-05-06T10:00:00Z' })
    const b = await pattern(other)
    await other.close()
    expect(b).toEqual(a)
    expect(a).toContain(503)
    expect(a).toContain(200)
  })
})

describe('transport actions (SIM-F2)', () => {
  it('latency delays the answer by at least ms', async () => {
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'latency', ms: 120, jitterMs: 10 } })
    const t0 = performance.now()
    const res = await call(sim, 'GET', cardPath)
    expect(res.status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115)
  })

  it('drop before headers and mid-body make fetch fail', async () => {
    const id = sim.control.addFault({
      match: { route: 'E13' },
      action: { type: 'drop', when: 'before-headers' },
    })
    await expect(fetch(sim.baseUrl + cardPath, { headers: auth('CORP\\jdoe') })).rejects.toThrow()
    sim.control.removeFault(id)
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'drop', when: 'mid-body' } })
    const res = await fetch(sim.baseUrl + cardPath, { headers: auth('CORP\\jdoe') })
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
  })

  it('hang never answers (the client must time out)', async () => {
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'hang' } })
    await expect(
      fetch(sim.baseUrl + cardPath, { headers: auth('CORP\\jdoe'), signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow(/abort|timeout/i)
  })

  it('slowBody trickles the body', async () => {
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'slowBody', bytesPerSec: 2000 } })
    const t0 = performance.now()
    const res = await call(sim, 'GET', cardPath)
    // ~480 bytes at 200 bytes per 100 ms slice → at least two waits
    expect(performance.now() - t0).toBeGreaterThanOrEqual(180)
    expect(res.json()).toMatchObject({ Uuid: CARD })
  })
})

describe('malformed variants (SIM-F2)', () => {
  const variants = [
    'truncated-json',
    'invalid-json',
    'html-200',
    'html-500',
    'wrong-content-type',
    'empty-200',
    'null-200',
  ] as const
  for (const variant of variants) {
    it(variant, async () => {
      sim.control.addFault({ match: { route: 'E13' }, action: { type: 'malformed', variant } })
      const res = await call(sim, 'GET', cardPath)
      const parses = (() => {
        try {
          JSON.parse(res.text)
          return true
        } catch {
          return false
        }
      })()
      switch (variant) {
        case 'truncated-json':
        case 'invalid-json':
          expect(res.status).toBe(200)
          expect(res.headers.get('content-type')).toContain('application/json')
          expect(parses).toBe(false)
          break
        case 'html-200':
        case 'html-500':
          expect(res.status).toBe(variant === 'html-200' ? 200 : 500)
          expect(res.headers.get('content-type')).toBe('text/html')
          break
        case 'wrong-content-type':
          expect(res.headers.get('content-type')).toContain('text/html')
          expect(res.json()).toMatchObject({ Uuid: CARD })
          break
        case 'empty-200':
          expect(res.status).toBe(200)
          expect(res.text).toBe('')
          break
        case 'null-200':
          expect(res.text).toBe('null')
      }
    })
  }
})

describe('presets (SIM-F3)', () => {
  it('unknown-enum-values emits Status 42 / RequestType 77', async () => {
    sim.control.applyPreset('unknown-enum-values')
    expect((await call(sim, 'GET', cardPath)).json()).toMatchObject({ Status: 42 })
    expect(
      (await call(sim, 'GET', api('requests/b105403d-d021-41ea-9f11-be3d677d229e'))).json(),
    ).toMatchObject({
      Status: 42,
      RequestType: 77,
    })
  })

  it('error-body-variants: id only in a property, in both, or absent', async () => {
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'status', code: 500 } })
    sim.control.applyPreset('error-body-variants', { variant: 'property-only' })
    const a = (await call(sim, 'GET', cardPath)).json() as Record<string, string>
    expect(a.Message).toBe('An error has occurred.')
    expect(a.CorrelationId).toMatch(GUID)
    sim.control.applyPreset('error-body-variants', { variant: 'message+property' })
    const b = (await call(sim, 'GET', cardPath)).json() as Record<string, string>
    expect(b.Message).toContain(b.CorrelationId!)
    sim.control.applyPreset('error-body-variants', { variant: 'no-id' })
    expect((await call(sim, 'GET', cardPath)).text).not.toMatch(GUID)
  })

  it('legacy-vsc-renew-forbidden: 403 on vSC Renew only', async () => {
    const body = { datacollection: '[]', type: 'Renew', smartcard: CARD, comment: '' }
    sim.control.applyPreset('legacy-vsc-renew-forbidden')
    expect((await call(sim, 'POST', api('requests'), { body })).status).toBe(403)
    sim.control.setSwitches({ legacyVscRenewForbidden: false })
    expect((await call(sim, 'POST', api('requests'), { body })).status).toBe(201)
  })

  it('online-update-conflict: the 4.5.26.0 concurrency message in a 500', async () => {
    sim.control.applyPreset('online-update-conflict')
    const res = await call(sim, 'POST', api('requests'), {
      as: 'CORP\\operator1',
      body: {
        datacollection: '[]',
        type: 'OnlineUpdate',
        smartcard: '7a000000-0000-4000-8000-000000000001',
        comment: '',
      },
    })
    expect(res.status).toBe(500)
    expect((res.json() as { Message: string }).Message).toContain(
      'Record has been updated or deleted by another user.',
    )
  })
})
