import { describe, expect, it } from 'vitest'
import { api, call, useTrainingSim } from './helpers'

/** §7.3 permission model: SIM-P1..P4, over the training scenario. */

const t = useTrainingSim()

const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
const ALICE_CARD = '7a000000-0000-4000-8000-000000000001'
const FORBIDDEN = { Message: 'Authorization has been denied for this request.' }

describe('403s', () => {
  it('helpdesk1 may not create a Retire request (no Initiate:Retire), even for its own card (SIM-P4)', async () => {
    const res = await call(t.sim, 'POST', api('requests'), {
      as: 'CORP\\helpdesk1',
      body: { datacollection: '[]', type: 'Retire', smartcard: ALICE_CARD, comment: '' },
    })
    expect(res.status).toBe(403)
    expect(res.json()).toEqual(FORBIDDEN)
  })

  it('helpdesk1 may not target another user (no EnrollAgent), but the operator may (SIM-P4)', async () => {
    const body = { datacollection: '[]', type: 'Unblock', smartcard: ALICE_CARD, comment: '' }
    expect((await call(t.sim, 'POST', api('requests'), { as: 'CORP\\helpdesk1', body })).status).toBe(403)
    const enroll = {
      datacollection: '[]',
      type: 'Enroll',
      target: ALICE,
      profiletemplateuuid: 'e1000000-5151-4a00-8000-000000000001',
      comment: '',
    }
    expect((await call(t.sim, 'POST', api('requests'), { as: 'CORP\\helpdesk1', body: enroll })).status).toBe(
      403,
    )
    const op = await call(t.sim, 'POST', api('requests'), { as: 'CORP\\operator1', body: enroll })
    expect(op.status).toBe(201)
    const r = (
      await call(t.sim, 'GET', api(`requests/${(op.json() as string).split('/').pop()}`), {
        as: 'CORP\\operator1',
      })
    ).json()
    // §7.3: acting for another user sets IsEnrollmentAgent and Flags | 1.
    expect(r).toMatchObject({ IsEnrollmentAgent: true, Flags: 3, TargetUserUuid: ALICE })
  })

  it('a disabled policy (t-enroll-disabled) and a user without rights get 403', async () => {
    const body = {
      datacollection: '[]',
      type: 'Enroll',
      profiletemplateuuid: 'e1000000-5151-4a00-8000-000000000004',
      comment: '',
    }
    expect((await call(t.sim, 'POST', api('requests'), { as: 'CORP\\jdoe', body })).status).toBe(403)
    expect((await call(t.sim, 'POST', api('requests'), { as: 'CORP\\nobody', body })).status).toBe(403)
  })

  it("reading another user's card needs ViewAll or EnrollAgent (SIM-P1)", async () => {
    expect((await call(t.sim, 'GET', api(`smartcards/${ALICE_CARD}`), { as: 'CORP\\jdoe' })).status).toBe(403)
    expect(
      (await call(t.sim, 'GET', api(`smartcards/${ALICE_CARD}`), { as: 'CORP\\operator1' })).status,
    ).toBe(200)
    expect((await call(t.sim, 'GET', api(`smartcards/${ALICE_CARD}`), { as: 'CORP\\alice' })).status).toBe(
      200,
    )
  })

  it("Execute steps on another user's request are 403 for non-agents", async () => {
    // Request 7c…07: operator's approved enroll for bob.
    const rid = '7c000000-0000-4000-8000-000000000007'
    expect(
      (
        await call(t.sim, 'GET', api(`requests/${rid}/certificaterequestgenerationoptions`), {
          as: 'CORP\\helpdesk1',
        })
      ).status,
    ).toBe(403)
    const bind = { requestid: rid, cardid: '0badcafe-0000-4000-8000-000000000001' }
    expect((await call(t.sim, 'POST', api('smartcards'), { as: 'CORP\\helpdesk1', body: bind })).status).toBe(
      403,
    )
    expect((await call(t.sim, 'POST', api('smartcards'), { as: 'CORP\\operator1', body: bind })).status).toBe(
      201,
    )
  })

  it('template reads need Read; E01 never answers 403 (SIM-P1)', async () => {
    const tid = '2b7044cf-aa96-4911-b886-177947e9271b'
    expect((await call(t.sim, 'GET', api(`profiletemplates/${tid}`), { as: 'CORP\\nobody' })).status).toBe(
      403,
    )
    expect(
      (
        await call(t.sim, 'GET', api(`profiletemplates/${tid}/configuration/smartcards`), {
          as: 'CORP\\nobody',
        })
      ).status,
    ).toBe(403)
    expect(
      (await call(t.sim, 'GET', api(`profiletemplates/${tid}/policies/enroll`), { as: 'CORP\\nobody' }))
        .status,
    ).toBe(403)
    const list = await call(t.sim, 'GET', api('profiletemplates'), { as: 'CORP\\nobody' })
    expect(list.status).toBe(200)
  })

  it('the 403 message is configurable (SIM-E2)', async () => {
    t.sim.control.setSwitches({ forbiddenMessage: 'Access denied.' })
    const res = await call(t.sim, 'GET', api(`smartcards/${ALICE_CARD}`), { as: 'CORP\\jdoe' })
    t.sim.control.setSwitches({ forbiddenMessage: FORBIDDEN.Message })
    expect(res.json()).toEqual({ Message: 'Access denied.' })
  })
})

describe('operations (SIM-P3)', () => {
  it("depend on the card state, the enabled policies and the caller's rights", async () => {
    const ops = (as: string, card: string) =>
      call(t.sim, 'GET', api(`smartcards/${card}/operations`), { as }).then((r) => r.json())
    // FX-E18-1 shape: jdoe on the docs card.
    expect(await ops('CORP\\jdoe', '438d1b30-f3b4-4bed-85fa-285e08605ba7')).toEqual([
      'renew',
      'unblock',
      'retire',
    ])
    // Operator (agent): unblock + retire are enabled on t-vsc-serverpin; alice herself may only unblock.
    expect(await ops('CORP\\operator1', ALICE_CARD)).toEqual(['unblock', 'retire', 'onlineupdate'])
    expect(await ops('CORP\\alice', ALICE_CARD)).toEqual(['unblock'])
    // Disabled card (4): only retire, and only for someone allowed to retire.
    expect(await ops('CORP\\operator1', '7a000000-0000-4000-8000-000000000002')).toEqual(['retire'])
    // Retired card: nothing.
    expect(await ops('CORP\\operator1', '7a000000-0000-4000-8000-000000000004')).toEqual([])
  })

  it('profile operations include template extras like "disable" (FX-E23-1 shape)', async () => {
    const res = await call(t.sim, 'GET', api('profiles/c0dd5c7d-ec35-4346-baca-3ad711e9722f/operations'), {
      as: 'CORP\\profuser',
    })
    expect(res.json()).toEqual(['renew', 'disable', 'recover'])
  })
})
