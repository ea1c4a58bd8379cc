import { describe, expect, it } from 'vitest'
import { api, call, useTrainingSim } from './helpers'
import { certsFromPkcs7, makeCsr } from './pki'

/** SIM-B1..B7: request and card state machines over the training scenario. */

const t = useTrainingSim()

const OP = 'CORP\\operator1'
const BOB = 'b0b00000-0000-4000-8000-000000000b0b'
const T_SRV = 'e1000000-5151-4a00-8000-000000000001'
const T_RND = 'e1000000-5151-4a00-8000-000000000002'
const T_SC = '2b7044cf-aa96-4911-b886-177947e9271b'

async function create(body: Record<string, unknown>, as = OP): Promise<string> {
  const res = await call(t.sim, 'POST', api('requests'), {
    as,
    body: { datacollection: '[]', comment: '', ...body },
  })
  expect(res.status, res.text).toBe(201)
  return (res.json() as string).split('/').pop()!
}
const getReq = async (rid: string, as = OP) =>
  (await call(t.sim, 'GET', api(`requests/${rid}`), { as })).json() as Record<string, unknown>
const put = (rid: string, status: string, as = OP) =>
  call(t.sim, 'PUT', api(`requests/${rid}`), { as, body: { status } })
async function bind(rid: string, cardid: string, atr?: string): Promise<string> {
  const res = await call(t.sim, 'POST', api('smartcards'), {
    as: OP,
    body: { requestid: rid, cardid, ...(atr ? { atr } : {}) },
  })
  expect(res.status, res.text).toBe(201)
  return (res.json() as string).split('/').pop()!
}

describe('request lifecycle (SIM-B1)', () => {
  it('needs approval on a template with ApprovalsNeeded > 0: 16 → approve → 3; deny → 4', async () => {
    const a = await create({ type: 'Enroll', profiletemplateuuid: T_SC, target: BOB })
    expect(await getReq(a)).toMatchObject({ Status: 16 })
    expect(t.sim.control.approve(a)).toMatchObject({ Status: 3 })
    const d = await create({ type: 'Enroll', profiletemplateuuid: T_SC, target: BOB })
    expect(t.sim.control.deny(d)).toMatchObject({ Status: 4 })
    expect(() => t.sim.control.approve(d)).toThrow(/not pending/)
    expect((await put(d, 'Completed')).status).toBe(500)
  })

  it('Canceled from 16 or 3 → 17; Abandoned from 3 → 17; other transitions → 500', async () => {
    const p = await create({ type: 'Enroll', profiletemplateuuid: T_SC, target: BOB })
    expect((await put(p, 'canceled')).json()).toMatchObject({ Status: 17 })
    expect((await put(p, 'Canceled')).status).toBe(500)
    const a = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    expect((await put(a, 'Abandoned')).json()).toMatchObject({ Status: 17 })
    expect(t.sim.control.state().Requests.find((r) => r.Uuid === a)?.Sim.Abandoned).toBe(true)
    expect((await put(a, 'Abandoned')).status).toBe(500)
    expect((await put(a, 'Approved')).status).toBe(500)
  })

  it('runs a full enroll: bind → 2, issue, complete → 8 and card 3 (SIM-B2, SIM-B3)', async () => {
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    expect((await put(rid, 'Completed')).status).toBe(500) // no card yet
    const scid = await bind(
      rid,
      '{0BADCAFE-0000-4000-8000-000000000002}',
      '3B8D0180FBA000000397425446590301C8',
    )
    const card = (await call(t.sim, 'GET', api(`smartcards/${scid}`), { as: OP })).json()
    expect(card).toMatchObject({
      Status: 2,
      Flags: 1,
      AssignedUserUuid: BOB,
      SerialNumber: '{0badcafe-0000-4000-8000-000000000002}',
      Middleware: 'MSBaseCSP',
      Atr: '3b8d0180fba000000397425446590301c8',
      ProfileTemplateVersion: 3,
    })
    const r = await getReq(rid)
    expect(r.NewSmartcardUuid).toBe(scid)
    expect(r.NewProfileUuid).not.toBe('00000000-0000-0000-0000-000000000000')
    expect((await put(rid, 'Completed')).status).toBe(500) // no certificate yet
    const { csrB64 } = await makeCsr()
    const issued = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
      as: OP,
      body: { pfxpassword: '', certificaterequests: [csrB64] },
    })
    expect(issued.status, issued.text).toBe(200)
    const done = (await put(rid, 'Completed')).json() as Record<string, unknown>
    expect(done).toMatchObject({ Status: 8 })
    expect(done.Completed).toMatch(/^2024-05-06T10:00:00Z$/)
    expect((await call(t.sim, 'GET', api(`smartcards/${scid}`), { as: OP })).json()).toMatchObject({
      Status: 3,
    })
    expect(
      (await call(t.sim, 'GET', api(`profiles/${r.NewProfileUuid as string}`), { as: OP })).json(),
    ).toMatchObject({ Status: 2 })
  })

  it('refuses a second card for a request, and a CardID already in use (SIM-B3)', async () => {
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    await bind(rid, '0badcafe-0000-4000-8000-000000000003')
    const again = await call(t.sim, 'POST', api('smartcards'), {
      as: OP,
      body: { requestid: rid, cardid: '0badcafe-0000-4000-8000-000000000004' },
    })
    expect(again.status).toBe(500)
    const other = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    // alice's active card's CardID
    const dup = await call(t.sim, 'POST', api('smartcards'), {
      as: OP,
      body: { requestid: other, cardid: 'c0ffee00-0000-4000-8000-000000000001' },
    })
    expect(dup.status).toBe(500)
    expect(t.sim.control.lastErrors(1)[0]!.detail).toContain('already in use')
  })

  it('a card-targeted request takes the template from the card; mismatch or nothing → 500 (Q7)', async () => {
    const card = '7a000000-0000-4000-8000-000000000001'
    const rid = await create({ type: 'Unblock', smartcard: card })
    expect(await getReq(rid)).toMatchObject({
      RequestType: 5,
      ProfileTemplateUuid: T_SRV,
      NewSmartcardUuid: card,
      OldSmartcardUuid: card,
      NewProfileUuid: '7b000000-0000-4000-8000-000000000001',
    })
    const bad = await call(t.sim, 'POST', api('requests'), {
      as: OP,
      body: {
        datacollection: '[]',
        type: 'Unblock',
        smartcard: card,
        profiletemplateuuid: T_RND,
        comment: '',
      },
    })
    expect(bad.status).toBe(500)
    expect(
      (
        await call(t.sim, 'POST', api('requests'), {
          as: OP,
          body: { datacollection: '[]', type: 'Unblock', comment: '' },
        })
      ).status,
    ).toBe(500)
    expect(
      (
        await call(t.sim, 'POST', api('requests'), {
          as: OP,
          body: { datacollection: '[]', type: 'Unblock', profiletemplateuuid: T_SRV, comment: '' },
        })
      ).status,
    ).toBe(500)
  })

  it('Unblock on a software template is a 500 business rule (§7.4)', async () => {
    const res = await call(t.sim, 'POST', api('requests'), {
      as: 'CORP\\Administrator',
      body: {
        datacollection: '[]',
        type: 'Unblock',
        profiletemplateuuid: '12bd5120-86a2-4ee1-8d05-131066871578',
        comment: '',
      },
    })
    expect(res.status).toBe(500)
    expect(t.sim.control.lastErrors(1)[0]!.detail).toContain('software profile template')
  })

  it('businessRuleStatus can turn business-rule 500s into 409 (OQ-33 option)', async () => {
    t.sim.control.setSwitches({ businessRuleStatus: 409 })
    const p = await create({ type: 'Enroll', profiletemplateuuid: T_SC, target: BOB })
    const res = await put(p, 'Completed')
    t.sim.control.setSwitches({ businessRuleStatus: 500 })
    expect(res.status).toBe(409)
    expect((res.json() as { Message: string }).Message).toContain('Correlation ID')
  })

  it('passThroughExecuting puts the request in 18 during issuance (OQ-24 option)', async () => {
    t.sim.control.setSwitches({ passThroughExecuting: true })
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    await bind(rid, '0badcafe-0000-4000-8000-000000000005')
    await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
      as: OP,
      body: { certificaterequests: [(await makeCsr()).csrB64] },
    })
    t.sim.control.setSwitches({ passThroughExecuting: false })
    expect(await getReq(rid)).toMatchObject({ Status: 18 })
    expect((await put(rid, 'Completed')).json()).toMatchObject({ Status: 8 })
  })
})

describe('retire (SIM-B4)', () => {
  const RID = '7c000000-0000-4000-8000-000000000009' // approved Retire for alice's disabled card
  const CARD = '7a000000-0000-4000-8000-000000000002'
  const path = api(`requests/${RID}/smartcards/${CARD}`)

  it('PUT {"status":"Retired"} → 6 with an approved Retire request, retiring its certificates', async () => {
    const res = await call(t.sim, 'PUT', path, { as: OP, body: { status: 'retired' } })
    expect(res.status, res.text).toBe(200)
    expect(res.json()).toMatchObject({
      Uuid: CARD,
      Status: 6,
      AssignedUserUuid: 'a11ce000-0000-4000-8000-00000000a11c',
    })
    expect((await put(RID, 'Completed')).json()).toMatchObject({ Status: 8 })
    expect((await call(t.sim, 'PUT', path, { as: OP, body: { status: 'Retired' } })).status).toBe(500)
  })

  it('needs a Retire request for that card; other statuses are placeholders; unknown → 500', async () => {
    const unblock = await create({ type: 'Unblock', smartcard: '7a000000-0000-4000-8000-000000000001' })
    const wrongType = await call(
      t.sim,
      'PUT',
      api(`requests/${unblock}/smartcards/7a000000-0000-4000-8000-000000000001`),
      {
        as: OP,
        body: { status: 'Retired' },
      },
    )
    expect(wrongType.status).toBe(500)
    const wrongCard = await call(
      t.sim,
      'PUT',
      api(`requests/${RID}/smartcards/7a000000-0000-4000-8000-000000000001`),
      {
        as: OP,
        body: { status: 'Retired' },
      },
    )
    expect(wrongCard.status).toBe(500)
    expect((await call(t.sim, 'PUT', path, { as: OP, body: { status: 'Suspended' } })).json()).toMatchObject({
      Status: 5,
    })
    expect((await call(t.sim, 'PUT', path, { as: OP, body: { status: 'Exploded' } })).status).toBe(500)
    expect((await call(t.sim, 'PUT', path, { as: OP, body: {} })).status).toBe(500)
  })

  it("retiring omits the card's certificates from GET /certificates (SIM-B7)", async () => {
    const carla = async () =>
      (await call(t.sim, 'GET', api('certificates'), { as: 'CORP\\carla' })).json() as unknown[]
    expect(await carla()).toHaveLength(1) // one of two is on the already-retired card
    t.sim.control.setCardStatus('7a000000-0000-4000-8000-000000000009', 6)
    expect(await carla()).toEqual([])
  })
})

describe('certificates (SIM-B6, SIM-B7)', () => {
  it('issues one PKCS#7 per CSR for the CSR key, with CRLF every 64 characters', async () => {
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    await bind(rid, '0badcafe-0000-4000-8000-000000000006')
    const a = await makeCsr('CN=one')
    const b = await makeCsr('CN=two')
    const res = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
      as: OP,
      body: {
        pfxpassword: 'x',
        certificaterequests: [a.csrB64, b.csrB64.replace(/\s/g, '')],
        comments: 'hi',
      },
    })
    const list = res.json() as Array<Record<string, unknown>>
    expect(list).toHaveLength(2)
    for (const [i, csr] of [a, b].entries()) {
      const e = list[i]!
      expect(Object.keys(e)).toEqual([
        'TemplateCommonName',
        'CertificateId',
        'Flags',
        'UseLocalMachineStore',
        'Error',
        'Pkcs7',
        'Pfx',
        'IsExternal',
        'isServerGenerated',
        'isPfx',
        'isPkcs7',
        'isKeyHistory',
      ])
      expect(e).toMatchObject({
        TemplateCommonName: 'BadgeSmartcardLogon',
        Flags: 65536,
        isPkcs7: true,
        Pfx: null,
        Error: null,
      })
      const p7 = e.Pkcs7 as string
      expect(
        p7
          .split('\r\n')
          .slice(0, -2)
          .every((l) => l.length === 64),
      ).toBe(true)
      expect(p7.endsWith('\r\n')).toBe(true)
      const certs = certsFromPkcs7(p7)
      expect(certs).toHaveLength(3)
      const leaf = certs[2]!
      expect(leaf.publicKey.export({ format: 'der', type: 'spki' }).equals(csr.spkiDer)).toBe(true)
      expect(leaf.verify(certs[1]!.publicKey)).toBe(true)
      expect(leaf.subjectAltName).toContain('bob@corp.contoso.com')
    }
    const onCard = (
      await call(
        t.sim,
        'GET',
        api(`smartcards/${(await getReq(rid)).NewSmartcardUuid as string}/certificates`),
        { as: OP },
      )
    ).json()
    expect(onCard).toHaveLength(2)
    expect(Object.keys((onCard as object[])[0]!)).toEqual([
      'IsKeyHistory',
      'ArchivedOnCa',
      'CertificateType',
      'TemplateCommonName',
      'SerialNumber',
      'Thumbprint',
    ])
    const mine = (await call(t.sim, 'GET', api('certificates'), { as: 'CORP\\bob' })).json() as Array<
      Record<string, unknown>
    >
    expect(mine.some((c) => c.Thumbprint === (onCard as Array<Record<string, unknown>>)[0]!.Thumbprint)).toBe(
      true,
    )
    expect(mine[0]).toHaveProperty('NotAfter')
    expect(mine[0]!.NotBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
  })

  it('returns extra server-generated PFX and external entries when the template says so', async () => {
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_RND, target: BOB })
    await bind(rid, '0badcafe-0000-4000-8000-000000000007')
    const res = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
      as: OP,
      body: { pfxpassword: 'p@ss', certificaterequests: [(await makeCsr()).csrB64] },
    })
    const list = res.json() as Array<Record<string, unknown>>
    expect(list).toHaveLength(3)
    expect(list[1]).toMatchObject({ isPfx: true, isServerGenerated: true, isPkcs7: false, Pkcs7: null })
    expect(list[1]!.Pfx).toMatch(/^MI/)
    expect(list[2]).toMatchObject({ IsExternal: true, isPkcs7: true })
  })

  it('rejects CSRs that are not base64, not PKCS#10 or badly signed with 500', async () => {
    const rid = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    await bind(rid, '0badcafe-0000-4000-8000-000000000008')
    const good = Buffer.from((await makeCsr()).csrB64.replace(/\s/g, ''), 'base64')
    const tampered = Buffer.from(good)
    tampered[40] = tampered[40]! ^ 1
    for (const [csr, why] of [
      ['MIIDZDC…', 'base64'],
      [Buffer.from('hello world!').toString('base64'), 'PKCS#10'],
      [tampered.toString('base64'), 'PKCS#10'],
    ] as const) {
      const res = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
        as: OP,
        body: { certificaterequests: [csr] },
      })
      expect(res.status, why).toBe(500)
      expect(t.sim.control.lastErrors(1)[0]!.detail).toContain(why)
    }
    expect(
      (
        await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
          as: OP,
          body: { certificaterequests: [] },
        })
      ).status,
    ).toBe(500)
  })

  it("generation options are the template's for issuing types and [] for Unblock", async () => {
    const unblock = await create({ type: 'Unblock', smartcard: '7a000000-0000-4000-8000-000000000001' })
    expect(
      (
        await call(t.sim, 'GET', api(`requests/${unblock}/certificaterequestgenerationoptions`), { as: OP })
      ).json(),
    ).toEqual([])
    const enroll = await create({ type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB })
    const opts = (
      await call(t.sim, 'GET', api(`requests/${enroll}/certificaterequestgenerationoptions`), { as: OP })
    ).json()
    expect(opts).toEqual([
      {
        Subject: '',
        KeyAlgorithmName: 'RSA',
        KeySize: 2048,
        FriendlyName: '',
        HashAlgorithmName: 'SHA256',
        KeyStorageProviderNames: ['Microsoft Smart Card Key Storage Provider'],
        Exportable: 0,
        KeyProtectionLevel: 0,
        KeyUsages: 3,
      },
    ])
  })
})
