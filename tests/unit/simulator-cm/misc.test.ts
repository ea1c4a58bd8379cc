import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../../electron/services/log'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { api, call, loadFixture, startSim } from './helpers'

/** Leniency success path (FX-E11-W14), profile endpoints (E19/E21/E24/E25) and secret hygiene. */

let sim: CmSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('FX-E11-W14 leniency (OQ-25)', () => {
  it('binds with the walkthrough body (trailing comma, padded upper-case GUID) in lenient mode only', async () => {
    sim = await startSim()
    const created = await call(sim, 'POST', api('requests'), {
      body: {
        datacollection: '[{"Request Reason":"VPN"}]',
        type: 'Enroll',
        profiletemplateuuid: '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1',
        comment: '',
      },
    })
    const rid = (created.json() as string).split('/').pop()!
    const verbatim = loadFixture('FX-E11-W14').cases[0]!.request.bodyText!
    // Fresh request and CardID (the verbatim ones are already bound in the docs scenario).
    const body = verbatim
      .replace('C6BAD97C-F97F-4920-8947-BE980C98C6B5', rid.toUpperCase())
      .replace('23CADD5F-020D-4C3B-A5CA-307B7A06F9C9', '5CA1AB1E-020D-4C3B-A5CA-307B7A06F9C9')
    expect(body).toContain(`" ${rid.toUpperCase()}"`)
    sim.control.setSwitches({ strict: true })
    expect((await call(sim, 'POST', api('smartcards'), { bodyText: body })).status).toBe(500)
    sim.control.setSwitches({ strict: false })
    const res = await call(sim, 'POST', api('smartcards'), { bodyText: body })
    expect(res.status, res.text).toBe(201)
    const card = (await call(sim, 'GET', api((res.json() as string).slice('api/v1.0/'.length)))).json()
    // cm-rest-api.md Q10: no atr in the walkthrough body → "".
    expect(card).toMatchObject({ SerialNumber: '{5ca1ab1e-020d-4c3b-a5ca-307b7a06f9c9}', Atr: '', Status: 2 })
  })
})

describe('profiles (E19, E21, E23–E25)', () => {
  it("serves profile reads, operations, certificates and a request's profiles", async () => {
    sim = await startSim()
    const pid = 'ff342953-c444-4dc7-b144-f5515d6460c6'
    const one = await call(sim, 'GET', api(`profiles/${pid}`), { as: 'CORP\\profuser' })
    expect(one.json()).toMatchObject({ Uuid: pid, ProfileOperations: ['renew', 'disable'] })
    expect(
      (await call(sim, 'GET', api(`profiles/${pid}/operations`), { as: 'CORP\\profuser' })).json(),
    ).toEqual(['renew', 'disable'])
    expect((await call(sim, 'GET', api(`profiles/${pid}`), { as: 'CORP\\jdoe' })).status).toBe(403)
    expect((await call(sim, 'GET', api('profiles?status=Pending'), { as: 'CORP\\profuser' })).json()).toEqual(
      [],
    )
    expect((await call(sim, 'GET', api('profiles?status=Bogus'), { as: 'CORP\\profuser' })).status).toBe(500)
    // The vSC user's card profile carries the FX-E20-1 certificates.
    const certs = await call(sim, 'GET', api('profiles/6b0d2a51-4c1e-4b7a-9f3e-5badfea30001/certificates'), {
      as: 'CORP\\Administrator',
    })
    expect(certs.json()).toHaveLength(4)
    // E25: the walkthrough request's profile, as a list and by id.
    const rid = 'c6bad97c-f97f-4920-8947-be980c98c6b5'
    const list = (await call(sim, 'GET', api(`requests/${rid}/profiles`))).json() as Array<{ Uuid: string }>
    expect(list.map((p) => p.Uuid)).toEqual(['6b0d2a51-4c1e-4b7a-9f3e-d700d97c0001'])
    expect((await call(sim, 'GET', api(`requests/${rid}/profiles/${list[0]!.Uuid}`))).json()).toMatchObject({
      Status: 1,
    })
    expect((await call(sim, 'GET', api(`requests/${rid}/profiles/${pid}`))).status).toBe(204)
  })

  it('E02 returns one ProfileTemplateLimitedView', async () => {
    sim = await startSim()
    const res = await call(sim, 'GET', api('profiletemplates/A039B4D0-5CE8-4EFF-8651-181C6576FDA3'))
    expect(res.json()).toEqual({
      Name: 'Contoso vSC Limited Release',
      Description: 'TPM virtual smart card (docs examples)',
      Uuid: 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
      IsSmartcardProfileTemplate: true,
      IsVirtualSmartcardProfileTemplate: true,
    })
  })
})

describe('secrets stay out of logs (conventions §10)', () => {
  it('never logs challenges, admin responses, keys or PINs', async () => {
    const logger = createMemoryLogger()
    sim = await startSim({ scenario: 'training', logger, clockStart: '2024-05-06T10:00:00Z' })
    const as = 'CORP\\operator1'
    const card = '7a000000-0000-4000-8000-000000000008'
    const cardid = 'c0ffee00-0000-4000-8000-000000000008'
    const created = await call(sim, 'POST', api('requests'), {
      as,
      body: { datacollection: '[]', type: 'Unblock', smartcard: card, comment: '' },
    })
    const rid = (created.json() as string).split('/').pop()!
    const base = api(`requests/${rid}/smartcards/${card}`)
    const secrets = [
      (await call(sim, 'GET', `${base}/serverproposedpin`, { as })).json() as string,
      (await call(sim, 'GET', `${base}/diversifiedkey?cardid=${cardid}`, { as })).json() as string,
      (
        await call(
          sim,
          'GET',
          `${base}/authenticationresponse?cardid=${cardid}&challenge=1hFD%2Bcz%2F0so%3D&diversified=true`,
          { as },
        )
      ).json() as string,
      '1hFD+cz/0so=',
      '1hFD%2Bcz%2F0so%3D',
    ]
    // a failing call too, so that the error path logs something
    await call(
      sim,
      'GET',
      `${base}/authenticationresponse?cardid=${cardid}&challenge=AAAA&diversified=true`,
      { as },
    )
    expect(logger.lines.length).toBeGreaterThan(0)
    const everything =
      logger.lines.join('\n') +
      JSON.stringify(sim.control.requestLog()) +
      JSON.stringify(sim.control.lastErrors())
    for (const s of secrets) expect(everything).not.toContain(s)
    expect(sim.control.requestLog().at(-1)?.queryNames).toEqual(['cardid', 'challenge', 'diversified'])
  })
})
