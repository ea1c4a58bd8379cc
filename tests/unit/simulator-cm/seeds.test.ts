import { describe, expect, it } from 'vitest'
import { REQUEST_STATUS, SMARTCARD_STATUS } from '../../../shared/cm/enums'
import { SCENARIO_NAMES, loadScenario, loadSeed } from '../../../electron/simulator/cm/index'
import { api, call, startSim } from './helpers'

/** SIM-S1: the three scenarios load and carry what §7.4 asks for. */

describe('scenarios', () => {
  it('all built-in scenarios validate', () => {
    for (const name of SCENARIO_NAMES) expect(loadScenario(name).Name).toBe(name)
  })

  it('docs has the GUID queue, clock script and overrides of SIM-S2', () => {
    const docs = loadScenario('docs')
    expect(docs.Overrides.GuidQueue).toEqual([
      'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      '17cf063d-e337-4aa9-a822-346554ddd3c9',
      'b99ff38c-6653-471f-ae3c-325bb351a6bc',
      '0c96d73f-967b-420e-854a-43ad2a1504bc',
    ])
    expect(docs.Clock.Script).toEqual([
      '2015-07-07T23:36:21.93Z',
      '2015-07-07T23:37:37.767Z',
      '2015-07-07T23:40:33.133Z',
    ])
    expect(docs.Overrides.DiversifiedKeys['bc88f13f-83ba-4037-8262-46eba1291c6e']).toBe(
      'mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI',
    )
    expect(docs.Certificates).toHaveLength(20)
  })

  it('training keeps the docs objects and adds cards and requests in every status (§7.4)', () => {
    const t = loadScenario('training')
    expect(t.Certificates.length).toBe(22)
    const cardStatuses = new Set(t.Smartcards.map((c) => c.Status))
    for (const s of SMARTCARD_STATUS.filter((e) => e.value > 0))
      expect(cardStatuses.has(s.value), s.name).toBe(true)
    const reqStatuses = new Set(t.Requests.map((r) => r.Status))
    for (const s of REQUEST_STATUS.filter((e) => e.value > 0))
      expect(reqStatuses.has(s.value), s.name).toBe(true)
    const keys = t.ProfileTemplates.map((x) => x.Key)
    for (const k of ['t-vsc-serverpin', 't-sc-random', 't-custom-pin', 't-enroll-disabled'])
      expect(keys).toContain(k)
    const serverPin = t.ProfileTemplates.find((x) => x.Key === 't-vsc-serverpin')!
    expect(serverPin.SmartcardConfig).toMatchObject({ UserPinOption: 1, DiversifyAdminKey: false })
    expect(t.Users.map((u) => u.Account)).toEqual(
      expect.arrayContaining(['CORP\\helpdesk1', 'CORP\\nobody', 'CORP\\operator1']),
    )
  })

  it('training still serves the docs certificates (merge by Thumbprint)', async () => {
    const sim = await startSim({ scenario: 'training' })
    try {
      expect(
        (await call(sim, 'GET', api('certificates'), { as: 'CORP\\Administrator' })).json(),
      ).toHaveLength(16)
    } finally {
      await sim.close()
    }
  })

  it('empty has nothing: every list is empty', async () => {
    const sim = await startSim({ scenario: 'empty', defaultUser: null })
    try {
      expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(401) // no users at all
    } finally {
      await sim.close()
    }
  })

  it('rejects invalid seeds with a readable error', () => {
    expect(() => loadSeed({ Name: 'x', Users: [{ Key: 'k', Uuid: 'nope', Account: 'a' }] })).toThrow(/GUID/)
    expect(() => loadSeed({ Name: 'x', Extends: 'nothing' })).toThrow(/unknown seed base/)
    expect(() =>
      loadSeed({
        Name: 'x',
        ProfileTemplates: [
          {
            Uuid: '11111111-1111-4111-8111-111111111111',
            Name: 'n',
            IsSmartcardProfileTemplate: false,
            Policies: { Fly: {} },
          },
        ],
      }),
    ).toThrow(/unknown policy type/)
  })

  it('accepts enum names in seeds and an inline seed that extends docs', async () => {
    const sim = await startSim({
      seed: {
        Extends: 'docs',
        Name: 'inline',
        Smartcards: [
          {
            Uuid: '22222222-2222-4222-8222-222222222222',
            Status: 'Suspended',
            AssignedUserUuid: '8f1590dc-d932-4b66-8e68-2e91c5880780',
            ProfileTemplateUuid: 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
            ProfileTemplateVersion: 46,
            CardId: 'ABCDEF00-0000-4000-8000-000000000001',
          },
        ],
      },
    })
    try {
      const res = await call(sim, 'GET', api('smartcards/22222222-2222-4222-8222-222222222222'))
      expect(res.json()).toMatchObject({
        Status: 5,
        SerialNumber: '{abcdef00-0000-4000-8000-000000000001}',
        Atr: '',
      })
    } finally {
      await sim.close()
    }
  })
})
