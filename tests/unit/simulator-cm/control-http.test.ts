import { afterEach, describe, expect, it } from 'vitest'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { api, call, startSim } from './helpers'

/** SIM-D3: the optional HTTP control surface under /__sim/ (off by default). */

let sim: CmSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const ctl = (s: CmSimulator, method: string, path: string, body?: unknown) =>
  fetch(`${s.baseUrl}/__sim/${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  })

describe('/__sim control API', () => {
  it('is absent by default (the path is just outside the app: 401 then IIS 404)', async () => {
    sim = await startSim()
    expect((await ctl(sim, 'GET', 'switches')).status).toBe(401)
    expect((await call(sim, 'GET', '/__sim/switches')).status).toBe(404)
  })

  it('approves requests, manages faults and switches, reads logs and resets', async () => {
    sim = await startSim({ scenario: 'training', controlHttp: true })
    const pending = '7c000000-0000-4000-8000-000000000008'
    const approved = await ctl(sim, 'POST', `requests/${pending}/approve`)
    expect(approved.status).toBe(200)
    expect(await approved.json()).toMatchObject({ Status: 3 })
    expect((await ctl(sim, 'POST', `requests/${pending}/approve`)).status).toBe(409)

    const added = await ctl(sim, 'POST', 'faults', {
      match: { route: 'E01' },
      action: { type: 'status', code: 503 },
    })
    const { id } = (await added.json()) as { id: string }
    expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(503)
    expect((await ctl(sim, 'DELETE', `faults/${id}`)).status).toBe(204)
    expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(200)

    expect(await (await ctl(sim, 'PATCH', 'switches', { emptyListStatus: 204 })).json()).toMatchObject({
      emptyListStatus: 204,
    })
    expect((await call(sim, 'GET', api('profiletemplates'), { as: 'CORP\\nobody' })).status).toBe(204)

    expect((await ctl(sim, 'POST', 'presets/unknown-enum-values')).status).toBe(204)
    expect((await ctl(sim, 'POST', 'presets/no-such-preset')).status).toBe(404)

    const log = (await (await ctl(sim, 'GET', 'log')).json()) as Array<{ route: string }>
    expect(log.map((l) => l.route)).toEqual(['E01', 'E01', 'E01'])
    const card = await ctl(sim, 'PUT', 'smartcards/7a000000-0000-4000-8000-000000000001/status', {
      status: 5,
    })
    expect(await card.json()).toMatchObject({ Status: 5 })
    expect((await ctl(sim, 'POST', 'reset')).status).toBe(204)
    expect(await (await ctl(sim, 'GET', 'switches')).json()).toMatchObject({
      emptyListStatus: 200,
      unknownEnumValues: false,
    })
  })
})
