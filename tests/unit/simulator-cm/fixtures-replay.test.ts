import { afterEach, describe, expect, it } from 'vitest'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { api, call, loadFixture, loadIndex, runCase, startSim } from './helpers'

/** SIM-S3: every §6 fixture, replayed over real HTTP against the docs scenario. */

const index = loadIndex()
const FX_E10_CSR = (loadFixture('FX-E10-1').cases[0]!.request.body as { certificaterequests: string[] })
  .certificaterequests[0]!

let sim: CmSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('docs timeline (FX-E05-1 → … → FX-E17-1)', () => {
  it('replays every timeline fixture in order with identical parsed bodies and key order', async () => {
    sim = await startSim()
    for (const id of index.timeline) {
      const fx = loadFixture(id)
      expect(fx.cases.length, id).toBe(1)
      await runCase(sim, fx, fx.cases[0]!)
      if (id === 'FX-E09-1') {
        // The "(certificates)" step of the timeline: issue for a9b4b42c before completing it (SIM-B2).
        const res = await call(
          sim,
          'POST',
          api('requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099/certificatedata'),
          {
            body: { pfxpassword: '', certificaterequests: [FX_E10_CSR] },
          },
        )
        expect(res.status, res.text).toBe(200)
        const certs = res.json() as Array<Record<string, unknown>>
        expect(certs).toHaveLength(1)
        expect(certs[0]).toMatchObject({
          TemplateCommonName: 'ContosoVirtualSmartCardLimitedRelease-KSP',
          isPkcs7: true,
        })
      }
    }
    // End state: the card went 2 → 3 (completion) → 6 (retire).
    expect(sim.control.state().Smartcards.find((c) => c.Uuid.startsWith('17cf063d'))?.Status).toBe(6)
  })

  it('fails the timeline when a step is skipped (completion without a bound card is a 500)', async () => {
    sim = await startSim()
    await runCase(sim, loadFixture('FX-E05-1'), loadFixture('FX-E05-1').cases[0]!)
    const res = await call(sim, 'PUT', api('requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'), {
      body: { status: 'Completed' },
    })
    expect(res.status).toBe(500)
    expect(sim.control.lastErrors(1)[0]!.detail).toContain('no smart card')
  })
})

describe('walkthrough fixtures (normalised and verbatim forms)', () => {
  it('replays the walkthrough in order', async () => {
    sim = await startSim()
    for (const id of index.walkthrough) {
      const fx = loadFixture(id)
      expect(fx.cases.length, id).toBeGreaterThan(0)
      for (const c of fx.cases) await runCase(sim, fx, c)
    }
  })
})

describe('independent fixtures', () => {
  for (const id of index.independent) {
    it(`${id}`, async () => {
      sim = await startSim()
      const fx = loadFixture(id)
      for (const c of fx.cases) await runCase(sim, fx, c)
    })
  }
})

describe('fixture files', () => {
  it('cover all 38 examples of §6, each with a case or a created-URI value', () => {
    const all = [...index.timeline, ...index.walkthrough, ...index.independent, ...index.createdUri]
    expect(new Set(all).size).toBe(38)
    for (const id of all) {
      const fx = loadFixture(id)
      expect(fx.cases.length > 0 || fx.createdUri !== undefined, id).toBe(true)
    }
  })

  it('marks normalised fixtures and keeps the verbatim text', () => {
    for (const id of ['FX-E01-W1', 'FX-E09-W24', 'FX-E13-W16', 'FX-E15-W22', 'FX-E17-1']) {
      expect(loadFixture(id).normalised, id).toBeTruthy()
    }
  })

  it('created-URI fixtures hold the prose forms the client must parse (Q5)', () => {
    expect(loadFixture('FX-E05-W6').createdUri).toMatchObject({
      kind: 'requests',
      guid: 'c6bad97c-f97f-4920-8947-be980c98c6b5',
    })
    expect(loadFixture('FX-E11-W15').createdUri?.value).toBe(
      'api/v1.0/smartcards/D700D97C-F91F-4930-8947-BE980C98A644',
    )
  })
})
