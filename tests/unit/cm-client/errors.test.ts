import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { DOC_RESPONSES } from './doc-fixtures'
import { clientWith, json, raw, type FakeReply } from './fake-fetch'

// HTTP status / body → closed StationError codes (cm-rest-api.md §1.6, §1.7, Q17).

const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'
const CID = '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11'

async function failure(
  reply: FakeReply,
  call: (c: ReturnType<typeof clientWith>['client']) => Promise<unknown> = (c) => c.getRequest(RID),
) {
  const ctx = clientWith(() => reply, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })
  const error = await call(ctx.client).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StationError)
  return { error: error as StationError, ...ctx }
}

describe('status codes → error codes', () => {
  it('401 → windows-sign-in-failed, 403 → forbidden', async () => {
    expect((await failure(raw(401, '', null))).error.code).toBe('windows-sign-in-failed')
    expect(
      (await failure(json(403, { Message: 'Authorization has been denied for this request.' }))).error.code,
    ).toBe('forbidden')
  })

  it('404 → not-found ("API disabled or wrong base URL"); the body is never parsed', async () => {
    const html = await failure(
      raw(404, '<html><body>Not Found 6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11</body></html>', 'text/html'),
    )
    expect(html.error.code).toBe('not-found')
    expect(html.error.toInfo()).toEqual({ code: 'not-found' })
    const webApi = await failure(
      json(404, { Message: "No HTTP resource was found that matches the request URI 'x'." }),
    )
    expect(webApi.error.toInfo()).toEqual({ code: 'not-found' })
  })

  it('500 → server-error carrying the correlation id from the message', async () => {
    const { error, log } = await failure(
      json(500, { Message: `An error has occurred. Correlation ID: ${CID}` }),
    )
    expect(error.toInfo()).toEqual({ code: 'server-error', correlationId: CID })
    expect(log.lines.join('\n')).toContain(CID)
  })

  it('500 variants: separate property, nested property, HTML text, none', async () => {
    const prop = await failure(
      json(500, { Message: 'An error has occurred.', CorrelationId: CID.toUpperCase() }),
    )
    expect(prop.error.info.correlationId).toBe(CID)
    const nested = await failure(json(500, { error: { correlation: { id: CID } } }))
    expect(nested.error.info.correlationId).toBe(CID)
    const html = await failure(raw(500, `<html>Server Error. Correlation ${CID}</html>`, 'text/html'))
    expect(html.error.toInfo()).toEqual({ code: 'server-error', correlationId: CID })
    const none = await failure(json(500, { Message: 'An error has occurred.' }))
    expect(none.error.toInfo()).toEqual({ code: 'server-error' })
    const empty = await failure(raw(503, '', null))
    expect(empty.error.toInfo()).toEqual({ code: 'server-error' })
  })

  it('other 4xx (400/405/409/415) → server-error without retry', async () => {
    for (const status of [400, 405, 409, 415]) {
      const ctx = clientWith(() => json(status, { Message: `nope ${CID}` }))
      await expect(ctx.client.getRequest(RID)).rejects.toMatchObject({ code: 'server-error' })
      expect(ctx.calls).toHaveLength(1)
    }
  })

  it('network failure → network; the logDetail never reaches toInfo()', async () => {
    const { error } = await failure({ network: new Error('ECONNREFUSED 127.0.0.1:1') })
    expect(error.code).toBe('network')
    expect(error.toInfo()).toEqual({ code: 'network' })
    expect(error.message).toContain('E07')
  })

  it('a connection dropped while reading the body → network', async () => {
    const { error } = await failure({ status: 200, body: '{"Uu', bodyError: new TypeError('terminated') })
    expect(error.code).toBe('network')
  })
})

describe('invalid responses', () => {
  const cases: Array<[string, FakeReply]> = [
    ['malformed JSON', raw(200, '{"Uuid":')],
    ['HTML 200 (login page)', raw(200, '<html><body>Sign in</body></html>', 'text/html; charset=utf-8')],
    ['wrong content type', raw(200, DOC_RESPONSES['FX-E07-1']?.body ?? '', 'text/plain')],
    ['missing content type', raw(200, '{}', null)],
    ['empty 200', raw(200, '')],
    ['array for an object', json(200, [1, 2])],
  ]
  for (const [name, reply] of cases) {
    it(`${name} → invalid-response`, async () => {
      const { error } = await failure(reply)
      expect(error.toInfo()).toEqual({ code: 'invalid-response' })
    })
  }

  it('schema mismatch: the field PATH is logged, the value and path never reach the UI payload', async () => {
    const body = JSON.parse(DOC_RESPONSES['FX-E07-1']?.body ?? '{}') as Record<string, unknown>
    body.Status = 'Approved-secret-value'
    const { error, log } = await failure(json(200, body))
    expect(error.toInfo()).toEqual({ code: 'invalid-response' })
    const logged = log.lines.join('\n')
    expect(logged).toContain('Status (invalid_type)')
    expect(logged).not.toContain('Approved-secret-value')
  })

  it('a 201 body naming the wrong collection → invalid-response', async () => {
    const { error } = await failure(
      json(201, 'api/v1.0/smartcards/17cf063d-e337-4aa9-a822-346554ddd3c9'),
      (c) => c.createRequest({ type: 'Enroll', profileTemplateUuid: RID }),
    )
    expect(error.code).toBe('invalid-response')
  })

  it('E14/E15 bodies that are not base64 of the right length → invalid-response', async () => {
    const card = { cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e' }
    const sc = '17cf063d-e337-4aa9-a822-346554ddd3c9'
    const short = await failure(json(200, 'AAAA'), (c) => c.getDiversifiedKey(RID, sc, card))
    expect(short.error.code).toBe('invalid-response')
    const notB64 = await failure(json(200, 'not base64!'), (c) =>
      c.getAuthenticationResponse(RID, sc, { ...card, challenge: new Uint8Array(8), diversified: true }),
    )
    expect(notB64.error.code).toBe('invalid-response')
  })
})

describe('tolerance', () => {
  it('unknown enum numbers stay raw with no name; extra fields and other key casing are accepted', async () => {
    const body = JSON.parse(DOC_RESPONSES['FX-E13-1']?.body ?? '{}') as Record<string, unknown>
    body.Status = 42
    body.Flags = 0x41
    body.SomethingNew = { nested: true }
    const atr = body.Atr
    delete body.Atr
    body.atr = atr
    const { client } = clientWith(() => json(200, body))
    const card = await client.getSmartcard('17cf063d-e337-4aa9-a822-346554ddd3c9')
    expect(card?.status).toEqual({ raw: 42, name: undefined, confidence: undefined })
    expect(card?.flags).toEqual({ raw: 0x41, names: ['Primary'], unknownBits: 0x40 })
    expect(card?.atr).toBe('3b8d0180fba000000397425446590301c8')
  })

  it('request type 77 has no name against a real server; placeholders only for the simulator profile', async () => {
    const body = JSON.parse(DOC_RESPONSES['FX-E07-1']?.body ?? '{}') as Record<string, unknown>
    body.RequestType = 108
    const real = clientWith(() => json(200, body))
    expect((await real.client.getRequest(RID))?.requestType).toMatchObject({ raw: 108, name: undefined })
    const sim = clientWith(() => json(200, body), { serverProfile: 'simulator' })
    expect((await sim.client.getRequest(RID))?.requestType).toMatchObject({ raw: 108, name: 'Retire' })
    body.RequestType = 77
    const unknown = clientWith(() => json(200, body), { serverProfile: 'simulator' })
    expect((await unknown.client.getRequest(RID))?.requestType).toMatchObject({ raw: 77, name: undefined })
  })

  it('204 and a JSON null → null for single objects, [] for lists (OQ-02)', async () => {
    const { client } = clientWith(() => raw(204, '', null))
    expect(await client.getRequest(RID)).toBeNull()
    expect(await client.getSmartcardByCardId('bc88f13f-83ba-4037-8262-46eba1291c6e')).toBeNull()
    expect(await client.listRequests()).toEqual([])
    expect(await client.listProfileTemplates()).toEqual([])
    expect(await client.getSmartcardOperations(RID)).toEqual([])
    const nul = clientWith(() => raw(200, 'null'))
    expect(await nul.client.getProfile(RID)).toBeNull()
    expect(await nul.client.listProfiles()).toEqual([])
  })

  it('a 204 body is never parsed', async () => {
    const { client } = clientWith(() => raw(204, 'garbage{', 'text/html'))
    expect(await client.getSmartcard(RID)).toBeNull()
  })

  it('list endpoints accept a single object (Q15) and an array from ?cardid= prefers the live card', async () => {
    const card = JSON.parse(DOC_RESPONSES['FX-E13-1']?.body ?? '{}') as Record<string, unknown>
    const one = clientWith(() => json(200, card))
    expect(await one.client.listSmartcards()).toHaveLength(1)
    const retired = { ...card, Uuid: '11111111-2222-3333-4444-555555555555', Status: 6 }
    const many = clientWith(() => json(200, [retired, card]))
    const found = await many.client.getSmartcardByCardId('BC88F13F-83BA-4037-8262-46EBA1291C6E')
    expect(found?.uuid).toBe('17cf063d-e337-4aa9-a822-346554ddd3c9')
  })

  it('status PUT answered 204 re-reads the object (OQ-14)', async () => {
    const replies = [raw(204, '', null), raw(200, DOC_RESPONSES['FX-E17-1']?.body ?? '')]
    const { client, calls } = clientWith((_r, n) => replies[n - 1] ?? raw(500, ''))
    const card = await client.retireSmartcard(RID, '17cf063d-e337-4aa9-a822-346554ddd3c9')
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'GET'])
    expect(card.status.raw).toBe(6)
  })

  it('assign answered 204 finds the new card by its CardID (OQ-14)', async () => {
    const replies = [raw(204, '', null), raw(200, DOC_RESPONSES['FX-E13-1']?.body ?? '')]
    const { client, calls } = clientWith((_r, n) => replies[n - 1] ?? raw(500, ''))
    const scid = await client.assignSmartcard({
      requestId: RID,
      cardId: 'bc88f13f-83ba-4037-8262-46eba1291c6e',
    })
    expect(scid).toBe('17cf063d-e337-4aa9-a822-346554ddd3c9')
    expect(calls[1]?.url.search).toBe('?cardid=bc88f13f-83ba-4037-8262-46eba1291c6e')
  })

  it('bad arguments are programming errors (RangeError), sent nowhere', async () => {
    const { client, calls } = clientWith(() => json(200, {}))
    await expect(client.getRequest('not-a-guid')).rejects.toBeInstanceOf(RangeError)
    await expect(
      client.getAuthenticationResponse(RID, RID, {
        cardId: RID,
        challenge: new Uint8Array(7),
        diversified: false,
      }),
    ).rejects.toBeInstanceOf(RangeError)
    await expect(
      client.createRequest({ type: 'Unblock', profileTemplateUuid: RID } as never),
    ).rejects.toBeInstanceOf(RangeError)
    expect(calls).toHaveLength(0)
  })
})
