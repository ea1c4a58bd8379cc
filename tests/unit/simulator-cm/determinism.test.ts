import { afterEach, describe, expect, it } from 'vitest'
import type { CmSimulator, CmSimulatorOptions } from '../../../electron/simulator/cm/index'
import { api, call, loadFixture, startSim } from './helpers'

/** SIM-D1/D2: same seed + same calls → byte-identical responses; snapshot, restore, reset. */

const CSR = (loadFixture('FX-E10-1').cases[0]!.request.body as { certificaterequests: string[] })
  .certificaterequests[0]!
const OP = 'CORP\\operator1'
const sims: CmSimulator[] = []
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()))
  sims.length = 0
})

/** A scripted session touching GUIDs, clock, PINs, challenge responses and PKCS#7 issuance. */
async function session(opts: CmSimulatorOptions): Promise<string[]> {
  const sim = await startSim({ scenario: 'training', clockStart: '2024-05-06T10:00:00Z', ...opts })
  sims.push(sim)
  const out: string[] = []
  const rec = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p
    out.push(`${r.status} ${r.text}`)
    return r
  }
  const created = await rec(
    call(sim, 'POST', api('requests'), {
      as: OP,
      body: {
        datacollection: '[]',
        type: 'Enroll',
        profiletemplateuuid: 'e1000000-5151-4a00-8000-000000000002',
        target: 'b0b00000-0000-4000-8000-000000000b0b',
        comment: '',
      },
    }),
  )
  const rid = (JSON.parse(created.text) as string).split('/').pop()!
  await rec(call(sim, 'GET', api(`requests/${rid}`), { as: OP }))
  const bound = await rec(
    call(sim, 'POST', api('smartcards'), {
      as: OP,
      body: { requestid: rid, cardid: '0badcafe-0000-4000-8000-0000000000d1' },
    }),
  )
  const scid = (JSON.parse(bound.text) as string).split('/').pop()!
  await rec(call(sim, 'GET', api(`requests/${rid}/smartcards/${scid}/serverproposedpin`), { as: OP }))
  await rec(
    call(
      sim,
      'GET',
      api(`requests/${rid}/smartcards/${scid}/diversifiedkey?cardid=0badcafe-0000-4000-8000-0000000000d1`),
      { as: OP },
    ),
  )
  await rec(
    call(sim, 'POST', api(`requests/${rid}/certificatedata`), {
      as: OP,
      body: { pfxpassword: 'pw', certificaterequests: [CSR] },
    }),
  )
  await rec(call(sim, 'PUT', api(`requests/${rid}`), { as: OP, body: { status: 'Completed' } }))
  await rec(call(sim, 'GET', api('certificates'), { as: 'CORP\\bob' }))
  await rec(call(sim, 'PUT', api(`requests/${rid}`), { as: OP, body: { status: 'Completed' } })) // 500 with correlation id
  return out
}

describe('determinism (SIM-D1)', () => {
  it('two simulators with the same seed give byte-identical responses', async () => {
    const a = await session({})
    const b = await session({})
    expect(a).toHaveLength(9)
    expect(b).toEqual(a)
    expect(a.at(-1)).toMatch(/^500 .*Correlation ID/)
    expect(a[5]).toContain('"isPfx":true') // t-sc-random also returns a PFX and an external certificate
  })

  it('a different RNG seed changes GUIDs, PINs and certificates', async () => {
    const a = await session({})
    const b = await session({ rngSeed: 'other' })
    expect(b[0]).not.toBe(a[0])
    expect(b[3]).not.toBe(a[3])
  })
})

describe('snapshot / restore / reset (SIM-D2)', () => {
  it('restores state, RNG and clock; reset returns to the seed', async () => {
    const sim = await startSim({ scenario: 'docs' })
    sims.push(sim)
    const snap = sim.control.snapshot()
    const body = {
      datacollection: '[]',
      type: 'Enroll',
      profiletemplateuuid: 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
      comment: '',
    }
    const first = await call(sim, 'POST', api('requests'), { body })
    expect(first.json()).toBe('api/v1.0/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099')
    sim.control.restore(snap)
    expect((await call(sim, 'POST', api('requests'), { body })).json()).toBe(first.json())
    expect(sim.control.requestLog()).toHaveLength(2)
    sim.control.advanceClock(60_000)
    sim.control.reset()
    expect(sim.control.requestLog()).toHaveLength(0)
    expect(sim.control.now()).toBe('2015-07-07T23:30:00.000Z')
    expect((await call(sim, 'GET', api('requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'))).status).toBe(204)
    expect((await call(sim, 'POST', api('requests'), { body })).json()).toBe(first.json())
  })
})
