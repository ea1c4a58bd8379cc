import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCmHandlers, type CmHandlerClient } from '../../../electron/services/cm/ipc-handlers'
import { adminResponse } from '../../../electron/services/crypto/des'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import type { CardId, RequestId, SmartcardUuid, UserUuid } from '../../../shared/domain/cm'
import { makeWrites, tempDir } from '../journal/helpers'
import { docCsr, IDS, simClient } from './sim-client'

// Contract tests: the real CmClient against the real CM simulator on loopback, every endpoint E01–E25.
// Failure modes and fault injection: contract-faults.test.ts.

const CHALLENGE = Buffer.from('d61143f9ccffd2ca', 'hex')
const ctx = { host: 'test' as const }

describe('contract: the documented timeline (docs scenario, §6)', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'docs' })
  })
  afterAll(() => sim.close())

  it('replays FX-E05-1 → FX-E17-1 through the client', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    // E05 FX-E05-1
    const rid = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tA039 })
    expect(rid).toBe(IDS.r1)
    // E07 FX-E07-1
    expect(await client.getRequest(rid)).toMatchObject({
      status: { raw: 3, name: 'Approved' },
      requestType: { raw: 1, name: 'Enroll' },
      submitted: '2015-07-07T23:36:21.93Z',
      completed: null,
      newSmartcardUuid: null,
    })
    // E11 FX-E11-1, E13 FX-E13-1
    const scid = await client.assignSmartcard({ requestId: rid, cardId: IDS.cardidBc88, atr: IDS.atr })
    expect(scid).toBe(IDS.card17)
    expect(await client.getSmartcard(scid)).toMatchObject({
      status: { raw: 2, name: 'Assigned' },
      cardId: IDS.cardidBc88,
      atr: IDS.atr,
    })
    // E14 FX-E14-1 (diversified-key override), E15 FX-E15-1 (zero key, verified vector)
    const kd = await client.getDiversifiedKey(rid, scid, { cardId: IDS.cardidBc88 })
    expect(kd?.toString('base64')).toBe('mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI')
    const r1 = await client.getAuthenticationResponse(rid, scid, {
      cardId: IDS.cardidBc88,
      challenge: CHALLENGE,
      diversified: false,
    })
    expect(r1?.toString('base64')).toBe('F0Zudm4wPLY=')
    // diversified=true answers with Kd, which the client could check locally (§5.2).
    const r2 = await client.getAuthenticationResponse(rid, scid, {
      cardId: IDS.cardidBc88,
      challenge: CHALLENGE,
      diversified: true,
    })
    expect(r2?.toString('hex')).toBe(adminResponse(kd!, CHALLENGE).toString('hex'))
    // E09 FX-E09-1, E10 (the interlude: the documented CSR)
    expect(await client.getCertificateRequestGenerationOptions(rid)).toHaveLength(1)
    const issued = await client.submitCertificateRequests(rid, {
      certificateRequests: [docCsr()],
      pfxPassword: '',
    })
    expect(issued.length).toBeGreaterThanOrEqual(1)
    expect(issued[0]).toMatchObject({ isPkcs7: true, error: null })
    expect(issued[0]?.pkcs7).toMatch(/^[A-Za-z0-9+/]+=*$/)
    // E08 FX-E08-1
    expect(await client.completeRequest(rid)).toMatchObject({
      status: { raw: 8, name: 'Completed' },
      completed: '2015-07-07T23:37:37.767Z',
      newProfileUuid: IDS.profileB99f,
      newSmartcardUuid: IDS.card17,
    })
    // E05 FX-E05-2, E07 FX-E07-2 (card-targeted: `smartcard`, no template, Q7)
    const unblock = await client.createRequest({ type: 'Unblock', smartcardUuid: scid })
    expect(unblock).toBe(IDS.r2)
    expect(await client.getRequest(unblock)).toMatchObject({
      requestType: { raw: 5, name: 'Unblock' },
      dataCollection: [{ name: 'Sample Data Item', value: null }],
      oldSmartcardUuid: IDS.card17,
    })
    // E17 FX-E17-1 (PUT, Q1)
    expect((await client.retireSmartcard(IDS.rRetire, scid)).status).toMatchObject({
      raw: 6,
      name: 'Retired',
    })
  })

  it('independent fixtures: E01, E03, E04, E12, E16, E18, E20, E22, E23', async () => {
    const sample = simClient(sim, 'CORP\\sample').client
    expect((await sample.listProfileTemplates()).map((t) => t.uuid)).toEqual([
      '12bd5120-86a2-4ee1-8d05-131066871578',
      IDS.t2b70,
    ])
    const jdoe = simClient(sim, 'CORP\\jdoe').client
    expect(await jdoe.getWorkflowPolicy(IDS.t97cd, 'Enroll')).toMatchObject({
      collectComments: false,
      dataCollection: [{ name: 'Request Reason', required: true }],
    })
    expect(await jdoe.getSmartcardConfig(IDS.tA039)).toMatchObject({
      userPinOption: { raw: 3 },
      defaultAdminKeyHex: '',
      diversifyAdminKey: true,
    })
    const found = await jdoe.getSmartcardByCardId(IDS.cardidD1ef.toUpperCase())
    expect(found?.uuid).toBe(IDS.card438)
    expect(await jdoe.getSmartcardOperations(IDS.card438)).toEqual(['renew', 'unblock', 'retire'])
    // FX-E16-1: template 97cd65fa is user-provided → 204 → the holder chooses the PIN.
    expect(await jdoe.getServerProposedPin(IDS.rWalk, IDS.cardD700, { cardId: IDS.cardid23ca })).toEqual({
      kind: 'holder-chooses',
    })
    const admin = simClient(sim, 'CORP\\Administrator').client
    expect(await admin.getSmartcardCertificates(IDS.card5bad)).toHaveLength(4)
    const mine = await admin.listCertificates()
    expect(mine).toHaveLength(16)
    expect(mine.filter((c) => c.archivedOnCa)).toHaveLength(2)
    const profiles = await simClient(sim, 'CORP\\profuser').client.listProfiles({ status: 'Active' })
    expect(profiles.map((p) => p.operations)).toEqual([
      ['renew', 'disable', 'recover'],
      ['renew', 'disable', 'recover'],
      ['renew', 'disable'],
    ])
  })
})

describe('contract: training scenario, the remaining endpoints', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'training' })
  })
  beforeEach(() => sim.control.reset())
  afterAll(() => sim.close())

  it('E02 template by id (null for an unknown id), E03 disabled policy, E04 server-PIN config', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    expect(await client.getProfileTemplate(IDS.tServerPin)).toMatchObject({
      name: 'Badge vSC (server PIN)',
      isVirtualSmartcard: true,
    })
    expect(await client.getProfileTemplate('00000000-1111-2222-3333-444444444444')).toBeNull()
    expect((await client.getWorkflowPolicy(IDS.tEnrollDisabled, 'Enroll'))?.enabled).toBe(false)
    expect(await client.getSmartcardConfig(IDS.tServerPin)).toMatchObject({
      userPinOption: { raw: 1, name: 'ServerDistributed' },
      diversifyAdminKey: false,
    })
  })

  it('E06 requests with a status filter, E07 unknown → null', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const all = await client.listRequests()
    expect(all.length).toBeGreaterThan(3)
    const pending = await client.listRequests({ status: 'Pending' })
    expect(pending.length).toBeGreaterThan(0)
    expect(pending.every((r) => r.status.raw === 16 && r.status.name === 'Pending')).toBe(true)
    expect(await client.getRequest('00000000-1111-2222-3333-444444444444')).toBeNull()
  })

  it('a full server-PIN enrollment: E05 E07 E11 E13 E14(204) E15 E16 E09 E10 E08 E20 E25 E24 E19 E21', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const cardId = '5e1f0000-aaaa-4bbb-8ccc-000000000001'
    const rid = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    expect((await client.getRequest(rid))?.status.raw).toBe(3)
    const scid = await client.assignSmartcard({ requestId: rid, cardId })
    expect((await client.getSmartcard(scid))?.cardId).toBe(cardId)
    // Q13 / OQ-30: this template does not diversify → 204 → null.
    expect(await client.getDiversifiedKey(rid, scid, { cardId })).toBeNull()
    const config = await client.getSmartcardConfig(IDS.tServerPin)
    const k0 = Buffer.from(config?.defaultAdminKeyHex ?? '', 'hex')
    const response = await client.getAuthenticationResponse(rid, scid, {
      cardId,
      challenge: CHALLENGE,
      diversified: false,
    })
    expect(response?.toString('hex')).toBe(adminResponse(k0, CHALLENGE).toString('hex'))
    const pin = await client.getServerProposedPin(rid, scid, { cardId })
    expect(pin.kind).toBe('server')
    if (pin.kind === 'server')
      expect(pin.pin).toMatch(new RegExp(`^\\d{${config?.userPinPolicy.minLength}}$`))
    // ServerDistributed: stable per card.
    expect(await client.getServerProposedPin(rid, scid, { cardId })).toEqual(pin)
    expect(await client.getCertificateRequestGenerationOptions(rid)).toHaveLength(1)
    const issued = await client.submitCertificateRequests(rid, { certificateRequests: [docCsr()] })
    expect(issued.some((c) => c.isPkcs7 && c.pkcs7 !== null)).toBe(true)
    expect((await client.completeRequest(rid)).status.raw).toBe(8)
    expect((await client.getSmartcard(scid))?.status).toMatchObject({ raw: 3, name: 'Active' })
    expect((await client.getSmartcardCertificates(scid)).length).toBeGreaterThanOrEqual(1)
    const profiles = await client.getRequestProfiles(rid)
    expect(profiles).toHaveLength(1)
    const pid = profiles[0]!.uuid
    expect((await client.getProfile(pid))?.uuid).toBe(pid)
    expect(Array.isArray(await client.getProfileOperations(pid))).toBe(true)
    expect((await client.getProfileCertificates(pid)).length).toBeGreaterThanOrEqual(1)
    expect(await client.getProfile('00000000-1111-2222-3333-444444444444')).toBeNull()
  })

  it('E08 cancel and abandon', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const a = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    expect((await client.cancelRequest(a)).status).toMatchObject({ raw: 17, name: 'Canceled' })
    const b = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    // ASSUMPTION OQ-10: the simulator shows Abandoned as 17; the client shows whatever it gets.
    expect((await client.abandonRequest(b)).status.raw).toBe(17)
  })

  it('E12 list and the re-issued CardID (Q6: the live card wins), E22 omits retired certificates', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const mine = await client.listSmartcards()
    expect(mine.every((c) => c.assignedUserUuid === IDS.uSelf)).toBe(true)
    const reissued = await client.getSmartcardByCardId('c0ffee00-0000-4000-8000-000000000006')
    expect(reissued).toMatchObject({ uuid: '7a000000-0000-4000-8000-000000000007', status: { raw: 3 } })
    const carla = await simClient(sim, 'CORP\\carla').client.listCertificates()
    expect(carla.map((c) => c.serialNumber)).toEqual(['2A00000102B2C3D4E5F60718293A4B5C6D7E8F'])
  })
})

describe('contract: IPC handlers over the simulator', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'training' })
  })
  beforeEach(() => sim.control.reset())
  afterAll(() => sim.close())

  it('cm:find-card, cm:list-holder-cards, cm:get-request', async () => {
    const h = createCmHandlers({ cm: simClient(sim, 'CORP\\jdoe').client })
    const found = await h['cm:find-card']({ cardId: 'c0ffee00-0000-4000-8000-000000000006' as CardId }, ctx)
    expect(found?.card.uuid).toBe('7a000000-0000-4000-8000-000000000007')
    expect(found?.operations).toContain('retire')
    expect(
      await h['cm:find-card']({ cardId: '0badc0de-0000-4000-8000-000000000000' as CardId }, ctx),
    ).toBeNull()
    const own = await h['cm:list-holder-cards']({ holderUuid: IDS.uSelf as UserUuid }, ctx)
    expect(own.length).toBeGreaterThan(0)
    // ASSUMPTION (field-notes §0): GET /smartcards shows only the caller's cards, never another holder's.
    const alice = await h['cm:list-holder-cards'](
      { holderUuid: 'a11ce000-0000-4000-8000-00000000a11c' as UserUuid },
      ctx,
    )
    expect(alice).toEqual([])
    expect(
      (await h['cm:get-request']({ requestId: '7c000000-0000-4000-8000-000000000001' as RequestId }, ctx))
        ?.status.raw,
    ).toBe(16)
  })

  /** Handlers whose writes go through a write journal in a temp directory (cm:retire-card needs one). */
  function journaled(cm: CmHandlerClient) {
    const t = tempDir('contract-')
    cleanups.push(t.cleanup)
    return createCmHandlers({ cm, writes: makeWrites(cm, join(t.dir, 'journal.json')).writes })
  }
  const cleanups: Array<() => void> = []
  afterAll(() => cleanups.forEach((c) => c()))

  it('cm:retire-card runs §5.6 end to end; a resume is a no-op', async () => {
    const h = journaled(simClient(sim, 'CORP\\jdoe').client)
    const scid = '7a000000-0000-4000-8000-000000000007' as SmartcardUuid
    const done = await h['cm:retire-card']({ smartcardUuid: scid, comment: 'lost badge' }, ctx)
    expect(done.outcome).toBe('retired')
    if (done.outcome !== 'retired') return
    expect(done.card.status.raw).toBe(6)
    const request = sim.control.state().Requests.find((r) => r.Uuid === done.requestId)
    expect(request?.Status).toBe(8)
    const again = await h['cm:retire-card']({ smartcardUuid: scid, requestId: done.requestId }, ctx)
    expect(again.outcome).toBe('retired')
  })

  it('cm:retire-card without the Retire right → forbidden (helpdesk, SIM-P4)', async () => {
    const h = journaled(simClient(sim, 'CORP\\helpdesk1').client)
    await expect(
      h['cm:retire-card']({ smartcardUuid: '7a000000-0000-4000-8000-000000000001' as SmartcardUuid }, ctx),
    ).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('cm:proposed-pin → server PIN for a ServerDistributed card', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const cardId = '5e1f0000-aaaa-4bbb-8ccc-000000000002'
    const rid = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    const scid = await client.assignSmartcard({ requestId: rid, cardId })
    const h = createCmHandlers({ cm: client })
    const pin = await h['cm:proposed-pin'](
      { requestId: rid, smartcardUuid: scid, cardId: cardId as CardId },
      ctx,
    )
    expect(pin).toMatchObject({ kind: 'server', pin: expect.stringMatching(/^\d+$/) })
  })
})
