import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { api, auth, call, rawHttp, startSim } from './helpers'

/** SIM-R1..R13: routing quirks and protocol details, over real HTTP. */

const REQ = 'c6bad97c-f97f-4920-8947-be980c98c6b5'
const CARD = 'd700d97c-f91f-4930-8947-be980c98a644'
const CARDID = '23cadd5f-020d-4c3b-a5ca-307b7a06f9c9'
let sim: CmSimulator
beforeAll(async () => {
  sim = await startSim({ scenario: 'training', clockStart: '2024-05-06T10:00:00Z' })
})
afterAll(() => sim.close())

describe('paths (SIM-R1, SIM-R2)', () => {
  it('matches literal segments case-insensitively, with upper-case and braced GUIDs and a trailing slash', async () => {
    for (const p of [
      `/CertificateManagement/api/v1.0/smartcards/${CARD}`,
      `/certificatemanagement/API/V1.0/SmartCards/${CARD.toUpperCase()}`,
      `/CERTIFICATEMANAGEMENT/api/v1.0/smartcards/{${CARD}}/`,
      `/CertificateManagement/api/v1.0/smartcards/%7B${CARD}%7D`,
    ]) {
      const res = await call(sim, 'GET', p)
      expect(res.status, p).toBe(200)
      expect((res.json() as { Uuid: string }).Uuid).toBe(CARD)
    }
  })

  it('accepts the certificatedata route with its documented trailing slash (§2.2)', async () => {
    const res = await call(sim, 'POST', api(`requests/${REQ}/certificatedata/`), {
      body: { certificaterequests: ['AAAA'] },
    })
    expect(res.status).toBe(500) // routed: the CSR is rejected, not the path
    expect(sim.control.lastErrors(1)[0]!.detail).toContain('PKCS#10')
  })

  it('answers an unknown route with the Web API 404 JSON text', async () => {
    const res = await call(sim, 'GET', api('nosuchthing'))
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.json()).toEqual({
      Message: `No HTTP resource was found that matches the request URI '${sim.baseUrl}${api('nosuchthing')}'.`,
    })
  })

  it('answers paths outside the API with an HTML 404 (IIS), and a non-v1.0 version with the Web API 404', async () => {
    const outside = await call(sim, 'GET', '/api/v1.0/requests')
    expect(outside.status).toBe(404)
    expect(outside.headers.get('content-type')).toBe('text/html')
    const v2 = await call(sim, 'GET', '/CertificateManagement/api/v2.0/requests')
    expect(v2.status).toBe(404)
    expect(v2.json()).toHaveProperty('Message')
  })

  it('does not trim whitespace in path GUIDs (Q11: no leniency for broken paths)', async () => {
    expect((await call(sim, 'GET', api(`smartcards/ ${CARD}`))).status).toBe(404)
  })

  it('trims GUIDs in bodies in lenient mode only (SIM-R2)', async () => {
    const body = {
      datacollection: '[]',
      type: 'Unblock',
      smartcard: `  {${CARD.toUpperCase()}} `,
      comment: '',
    }
    sim.control.setCardStatus(CARD, 3)
    sim.control.setSwitches({ strict: true })
    expect((await call(sim, 'POST', api('requests'), { body })).status).toBe(500)
    sim.control.setSwitches({ strict: false })
    expect((await call(sim, 'POST', api('requests'), { body })).status).toBe(201)
    sim.control.setCardStatus(CARD, 2)
  })
})

describe('verbs and media types (SIM-R6..R8)', () => {
  it('405 with the Web API message and Allow for a wrong verb', async () => {
    const res = await call(sim, 'DELETE', api(`requests/${REQ}`))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, PUT')
    expect(res.json()).toEqual({ Message: "The requested resource does not support http method 'DELETE'." })
  })

  it('GET on the status-update route is 405 with Allow: PUT and the explanatory message (Q1)', async () => {
    const res = await call(sim, 'GET', api(`requests/${REQ}/smartcards/${CARD}`))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('PUT')
    expect((res.json() as { Message: string }).Message).toBe(
      'The requested resource does not support http method \'GET\'. Use PUT with {"status":"Retired"} to update the smart card status.',
    )
  })

  it('acceptGetStatusUpdate treats a GET with a JSON body like PUT', async () => {
    const headers = { ...auth('CORP\\operator1'), 'Content-Type': 'application/json' }
    // Training: request 7c…09 is an approved Retire for alice's disabled card 7a…02.
    const path = api(
      'requests/7c000000-0000-4000-8000-000000000009/smartcards/7a000000-0000-4000-8000-000000000002',
    )
    const off = await rawHttp(sim, 'GET', path, headers, '{"status":"Retired"}')
    expect(off.status).toBe(405)
    const snap = sim.control.snapshot()
    sim.control.setSwitches({ acceptGetStatusUpdate: true })
    const on = await rawHttp(sim, 'GET', path, headers, '{"status":"Retired"}')
    expect(on.status, on.text).toBe(200)
    expect(JSON.parse(on.text)).toMatchObject({ Status: 6 })
    // Without a body it is still refused.
    expect((await rawHttp(sim, 'GET', path, auth('CORP\\operator1'))).status).toBe(405)
    sim.control.setSwitches({ acceptGetStatusUpdate: false })
    sim.control.restore(snap)
  })

  it('415 for a body with a non-JSON content type; body names match case-insensitively', async () => {
    const res = await call(sim, 'PUT', api(`requests/${REQ}`), {
      bodyText: 'status=Canceled',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
    expect(res.json()).toEqual({
      Message:
        "The request entity's media type 'application/x-www-form-urlencoded' is not supported for this resource.",
    })
    const snap = sim.control.snapshot()
    const ok = await call(sim, 'PUT', api(`requests/${REQ}`), { body: { STATUS: 'canceled' } })
    expect(ok.status).toBe(200)
    expect(ok.json()).toMatchObject({ Status: 17 })
    sim.control.restore(snap)
  })

  it('malformed JSON is a 500 with a correlation id', async () => {
    const res = await call(sim, 'POST', api('requests'), { bodyText: '{"type":' })
    expect(res.status).toBe(500)
    expect((res.json() as { Message: string }).Message).toMatch(
      /^An error has occurred\. Correlation ID: [0-9a-f-]{36}\. the request body is not valid JSON$/,
    )
  })
})

describe('endpoint quirks', () => {
  it('serves both workflow-policy routes with a case-insensitive type (Q3); unknown type → 500', async () => {
    const tid = '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1'
    const a = await call(sim, 'GET', api(`profiletemplates/${tid}/policies/ENROLL`))
    const b = await call(sim, 'GET', api(`profiletemplates/${tid}/policy/workflow/enroll`))
    expect(a.status).toBe(200)
    expect(a.text).toBe(b.text)
    expect((await call(sim, 'GET', api(`profiletemplates/${tid}/policies/temporaryenroll`))).status).toBe(200)
    expect((await call(sim, 'GET', api(`profiletemplates/${tid}/policies/teleport`))).status).toBe(500)
  })

  it('serves both proposed-PIN routes; the short form takes a card or a request id (Q2)', async () => {
    // Training: alice's active card 7a…01 on t-vsc-serverpin (ServerDistributed) with no request.
    const card = '7a000000-0000-4000-8000-000000000001'
    const viaCard = await call(sim, 'GET', api(`smartcards/${card}/serverproposedpin`), {
      as: 'CORP\\operator1',
    })
    expect(viaCard.status).toBe(200)
    const pin = viaCard.json() as string
    expect(pin).toMatch(/^\d{8}$/)
    // The long form with a request for the same card returns the same stored PIN.
    const created = await call(sim, 'POST', api('requests'), {
      as: 'CORP\\operator1',
      body: { datacollection: '[]', type: 'Unblock', smartcard: card, comment: '' },
    })
    const rid = (created.json() as string).split('/').pop()!
    const long = await call(
      sim,
      'GET',
      api(`requests/${rid}/smartcards/${card}/serverproposedpin?cardid=c0ffee00-0000-4000-8000-000000000001`),
      {
        as: 'CORP\\operator1',
      },
    )
    expect(long.json()).toBe(pin)
    const viaRequest = await call(sim, 'GET', api(`smartcards/${rid}/serverproposedpin`), {
      as: 'CORP\\operator1',
    })
    expect(viaRequest.json()).toBe(pin)
    expect(
      (await call(sim, 'GET', api(`smartcards/00000000-0000-4000-8000-00000000dead/serverproposedpin`)))
        .status,
    ).toBe(204)
  })

  it('?cardid= returns one object matched on SerialNumber with any case or braces (Q6)', async () => {
    for (const q of [CARDID, CARDID.toUpperCase(), `{${CARDID}}`]) {
      const res = await call(sim, 'GET', api(`smartcards?cardid=${encodeURIComponent(q)}`))
      expect(res.status).toBe(200)
      expect(res.json()).toMatchObject({ Uuid: CARD, SerialNumber: `{${CARDID}}` })
    }
    expect(
      (await call(sim, 'GET', api('smartcards?cardid=00000000-0000-0000-0000-00000000beef'))).status,
    ).toBe(204)
  })

  it('?cardid= of a re-issued card returns the active profile, not the retired one (Q6)', async () => {
    const res = await call(sim, 'GET', api('smartcards?CardId=c0ffee00-0000-4000-8000-000000000006'))
    expect(res.json()).toMatchObject({ Uuid: '7a000000-0000-4000-8000-000000000007', Status: 3 })
  })

  it("/smartcards and /requests without parameters are arrays of the caller's objects (Q15)", async () => {
    const cards = (await call(sim, 'GET', api('smartcards'))).json() as Array<{ AssignedUserUuid: string }>
    expect(Array.isArray(cards)).toBe(true)
    expect(cards.length).toBeGreaterThan(1)
    expect(new Set(cards.map((c) => c.AssignedUserUuid))).toEqual(
      new Set(['8f1590dc-d932-4b66-8e68-2e91c5880780']),
    )
    const reqs = (await call(sim, 'GET', api('requests'))).json()
    expect(Array.isArray(reqs)).toBe(true)
  })

  it('filters /requests by status name in any case; unknown names are 500', async () => {
    for (const [name, n] of [
      ['Pending', 16],
      ['denied', 4],
      ['CANCELED', 17],
      ['Completed', 8],
      ['Failed', 9],
      ['Executing', 18],
    ] as const) {
      const list = (await call(sim, 'GET', api(`requests?status=${name}`))).json() as Array<{
        Status: number
      }>
      expect(list.length, name).toBeGreaterThan(0)
      expect(
        list.every((r) => r.Status === n),
        name,
      ).toBe(true)
    }
    expect((await call(sim, 'GET', api('requests?status=Sleeping'))).status).toBe(500)
  })

  it('emptyListStatus switches empty lists between 200 [] and 204 (SIM-E3)', async () => {
    const none = await call(sim, 'GET', api('profiletemplates'), { as: 'CORP\\nobody' })
    expect(none.status).toBe(200)
    expect(none.json()).toEqual([])
    sim.control.setSwitches({ emptyListStatus: 204 })
    const empty = await call(sim, 'GET', api('profiletemplates'), { as: 'CORP\\nobody' })
    sim.control.setSwitches({ emptyListStatus: 200 })
    expect(empty.status).toBe(204)
    expect(empty.text).toBe('')
  })

  it('unknown ids give 204 on single-object GETs (SIM-E3)', async () => {
    const g = '0000abcd-0000-4000-8000-000000000000'
    for (const p of [
      `profiletemplates/${g}`,
      `profiletemplates/${g}/configuration/smartcards`,
      `requests/${g}`,
      `smartcards/${g}`,
      `profiles/${g}`,
      `requests/${g}/certificaterequestgenerationoptions`,
    ]) {
      const res = await call(sim, 'GET', api(p))
      expect(res.status, p).toBe(204)
      expect(res.headers.get('content-type'), p).toBeNull()
    }
  })

  it('201 bodies are relative URIs with lower-case GUIDs and no Location unless switched on (SIM-R11)', async () => {
    const body = {
      datacollection: '[{"Request Reason":"x"}]',
      type: 'Enroll',
      profiletemplateuuid: '97CD65FA-AF4B-4587-9309-0DD6BFD8B4E1',
      comment: '',
    }
    const a = await call(sim, 'POST', api('requests'), { body })
    expect(a.status).toBe(201)
    expect(a.json()).toMatch(/^api\/v1\.0\/requests\/[0-9a-f-]{36}$/)
    expect(a.headers.get('location')).toBeNull()
    sim.control.setSwitches({ emitLocationHeader: true })
    const b = await call(sim, 'POST', api('requests'), { body })
    sim.control.setSwitches({ emitLocationHeader: false })
    expect(b.headers.get('location')).toBe(`${sim.baseUrl}/CertificateManagement/${b.json() as string}`)
  })

  it('accepts datacollection as an array of {Name,Value} and priority as a numeric string (Q4, Q8)', async () => {
    const res = await call(sim, 'POST', api('requests'), {
      body: {
        datacollection: [{ name: 'Request Reason', VALUE: 'Lost badge' }],
        type: 'enroll',
        profiletemplateuuid: '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1',
        comment: 'c',
        priority: '4',
      },
    })
    const rid = (res.json() as string).split('/').pop()!
    const r = (await call(sim, 'GET', api(`requests/${rid}`))).json()
    expect(r).toMatchObject({
      Priority: 4,
      Comment: 'c',
      DataCollection: [{ Name: 'Request Reason', Value: 'Lost badge' }],
    })
    const bad = await call(sim, 'POST', api('requests'), {
      body: {
        datacollection: '[]',
        type: 'Enroll',
        profiletemplateuuid: '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1',
        comment: '',
        priority: 'high',
      },
    })
    expect(bad.status).toBe(500)
  })

  it('missing datacollection is an empty collection when lenient and a 500 when strict (Q4)', async () => {
    const body = { type: 'Enroll', profiletemplateuuid: '97cd65fa-af4b-4587-9309-0dd6bfd8b4e1', comment: '' }
    expect((await call(sim, 'POST', api('requests'), { body })).status).toBe(201)
    sim.control.setSwitches({ strict: true })
    const strict = await call(sim, 'POST', api('requests'), { body })
    sim.control.setSwitches({ strict: false })
    expect(strict.status).toBe(500)
  })

  it('a missing required query parameter is a Web API 404 (OQ-20), or 500 when switched', async () => {
    const p = api(
      `requests/${REQ}/smartcards/${CARD}/authenticationresponse?cardid=${CARDID}&challenge=1hFD%2Bcz%2F0so%3D`,
    )
    expect((await call(sim, 'GET', p)).status).toBe(404)
    sim.control.setSwitches({ missingQueryParamStatus: 500 })
    const res = await call(sim, 'GET', p)
    sim.control.setSwitches({ missingQueryParamStatus: 404 })
    expect(res.status).toBe(500)
  })

  it('decodes + in the query as a space (Q18); lenientPlusInBase64 repairs base64', async () => {
    const p = api(
      `requests/${REQ}/smartcards/${CARD}/authenticationresponse?cardid=${CARDID}&challenge=1hFD+cz/0so=&DIVERSIFIED=FALSE`,
    )
    expect((await call(sim, 'GET', p)).status).toBe(500)
    sim.control.setSwitches({ lenientPlusInBase64: true })
    const res = await call(sim, 'GET', p)
    sim.control.setSwitches({ lenientPlusInBase64: false })
    expect(res.status).toBe(200)
  })

  it('ignores targetuser values other than "current" with an X-Sim-Warning (SIM-A4)', async () => {
    expect(
      (await call(sim, 'GET', api('profiletemplates?targetuser=current'))).headers.get('x-sim-warning'),
    ).toBeNull()
    const res = await call(sim, 'GET', api('profiletemplates?targetuser=CORP%5Calice'))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-sim-warning')).toContain('targetuser')
  })

  it('emits unset dates as 0001-01-01T00:00:00 and completed dates in Json.NET ISO form (SIM-R10)', async () => {
    const r = (await call(sim, 'GET', api('requests/7c000000-0000-4000-8000-000000000004'))).json()
    expect(r).toMatchObject({ Completed: '2024-04-01T07:52:13.2Z' })
    const p = (await call(sim, 'GET', api('requests/7c000000-0000-4000-8000-000000000001'))).json()
    expect(p).toMatchObject({ Completed: '0001-01-01T00:00:00' })
  })
})
