import { describe, expect, it } from 'vitest'
import { createMemoryCookieJar } from '../../../electron/services/cm/cookie-jar'
import { DOC_RESPONSES } from './doc-fixtures'
import { clientWith, json, raw, type SeenRequest } from './fake-fetch'

const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'
const SCID = '17cf063d-e337-4aa9-a822-346554ddd3c9'
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const PIN = '73915026'
const CHALLENGE = Buffer.from('d61143f9ccffd2ca', 'hex')
const CHALLENGE_B64 = '1hFD+cz/0so='
const KEY_B64 = 'mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI'
const KEY_HEX = '981540f87a2907f81cfba16e2ac42ac7e397d3584ad56408'

describe('E16 server-proposed PIN (Q2, §5.4)', () => {
  it('200 with a JSON string → { kind: "server", pin } from the request-scoped route', async () => {
    const { client, calls } = clientWith(() => json(200, PIN))
    expect(await client.getServerProposedPin(RID, SCID, { cardId: CARDID })).toEqual({
      kind: 'server',
      pin: PIN,
    })
    expect(calls[0]?.url.pathname).toBe(
      `/CertificateManagement/api/v1.0/requests/${RID}/smartcards/${SCID}/serverproposedpin`,
    )
    expect(calls[0]?.url.search).toBe(`?cardid=${CARDID}`)
  })

  it('204 → the holder chooses the PIN (a normal outcome, no error)', async () => {
    const { client, calls } = clientWith(() => raw(204, '', null))
    expect(await client.getServerProposedPin(RID, SCID, { cardId: CARDID })).toEqual({
      kind: 'holder-chooses',
    })
    expect(calls).toHaveLength(1)
  })

  it('404 on the request-scoped route → the short route /smartcards/{scid}/serverproposedpin', async () => {
    const { client, calls } = clientWith((r: SeenRequest) =>
      r.url.pathname.includes('/requests/')
        ? raw(404, '<html>Not Found</html>', 'text/html')
        : json(200, PIN),
    )
    expect(await client.getServerProposedPin(RID, SCID, { cardId: CARDID, atr: '3B8D' })).toEqual({
      kind: 'server',
      pin: PIN,
    })
    expect(calls.map((c) => c.url.pathname)).toEqual([
      `/CertificateManagement/api/v1.0/requests/${RID}/smartcards/${SCID}/serverproposedpin`,
      `/CertificateManagement/api/v1.0/smartcards/${SCID}/serverproposedpin`,
    ])
    expect(calls[1]?.url.search).toBe(`?cardid=${CARDID}&atr=3b8d`)
  })

  it('both routes 404 → not-found; with the fallback switched off only one call is made', async () => {
    const both = clientWith(() => raw(404, '', 'text/html'))
    await expect(both.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).rejects.toMatchObject({
      code: 'not-found',
    })
    expect(both.calls).toHaveLength(2)
    const off = clientWith(() => raw(404, '', 'text/html'), { serverPinShortRouteFallback: false })
    await expect(off.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).rejects.toMatchObject({
      code: 'not-found',
    })
    expect(off.calls).toHaveLength(1)
  })

  it('a bare text/plain body is accepted (Q2); HTML is not; an empty string proposes nothing', async () => {
    const text = clientWith(() => raw(200, `${PIN}\r\n`, 'text/plain; charset=utf-8'))
    expect(await text.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).toEqual({
      kind: 'server',
      pin: PIN,
    })
    const html = clientWith(() => raw(200, '<html>PIN</html>', 'text/html'))
    await expect(html.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).rejects.toMatchObject({
      code: 'invalid-response',
    })
    const empty = clientWith(() => json(200, ''))
    expect(await empty.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).toEqual({
      kind: 'holder-chooses',
    })
  })

  it('a challenge, when given, is sent base64 + URL-encoded', async () => {
    const { client, calls } = clientWith(() => json(200, PIN))
    await client.getServerProposedPin(RID, SCID, { cardId: CARDID, challenge: CHALLENGE })
    expect(calls[0]?.rawUrl).toContain('&challenge=1hFD%2Bcz%2F0so%3D')
  })
})

describe('secrets never reach the logs', () => {
  const secrets = [
    PIN,
    CHALLENGE_B64,
    encodeURIComponent(CHALLENGE_B64),
    KEY_B64,
    KEY_HEX,
    'F0Zudm4wPLY=',
    'pfx-pass',
  ]

  function assertClean(lines: string[]) {
    const text = lines.join('\n')
    expect(lines.length).toBeGreaterThan(0)
    for (const s of secrets) expect(text, s).not.toContain(s)
  }

  it('successful secret calls log their URL redacted and nothing of the bodies', async () => {
    const replies = [
      raw(200, DOC_RESPONSES['FX-E14-1']?.body ?? ''),
      raw(200, DOC_RESPONSES['FX-E15-1']?.body ?? ''),
      json(200, PIN),
      json(200, []),
    ]
    const { client, log } = clientWith((_r, n) => replies[n - 1] ?? raw(500, ''))
    await client.getDiversifiedKey(RID, SCID, { cardId: CARDID })
    await client.getAuthenticationResponse(RID, SCID, {
      cardId: CARDID,
      challenge: CHALLENGE,
      diversified: true,
    })
    await client.getServerProposedPin(RID, SCID, { cardId: CARDID, challenge: CHALLENGE })
    await client.submitCertificateRequests(RID, { certificateRequests: ['MIIB'], pfxPassword: 'pfx-pass' })
    assertClean(log.lines)
    expect(log.lines.join('\n')).toContain('challenge=[redacted]')
  })

  it('failing secret calls (server echoing the secrets, retries, schema errors) stay clean', async () => {
    const echo = `{"Message":"bad challenge ${CHALLENGE_B64} pin ${PIN} key ${KEY_B64}. Correlation ID: 6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11"}`
    const { client, log } = clientWith(() => raw(500, echo))
    const calls = [
      client.getAuthenticationResponse(RID, SCID, {
        cardId: CARDID,
        challenge: CHALLENGE,
        diversified: false,
      }),
      client.getServerProposedPin(RID, SCID, { cardId: CARDID, challenge: CHALLENGE }),
      client.getDiversifiedKey(RID, SCID, { cardId: CARDID }),
    ]
    for (const call of calls) {
      const error = (await call.catch((e: unknown) => e)) as Error
      for (const s of secrets) expect(error.message).not.toContain(s)
    }
    const wrongShape = clientWith(() => json(200, { pin: PIN }))
    await expect(wrongShape.client.getServerProposedPin(RID, SCID, { cardId: CARDID })).rejects.toMatchObject(
      {
        code: 'invalid-response',
      },
    )
    assertClean([...log.lines, ...wrongShape.log.lines])
    expect(log.lines.join('\n')).toContain('6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11')
  })

  it('non-secret failures do log the server message (for the operator’s admin)', async () => {
    const { client, log } = clientWith(() =>
      json(500, { Message: 'Record has been updated or deleted by another user.' }),
    )
    await expect(client.getRequest(RID)).rejects.toMatchObject({ code: 'server-error' })
    expect(log.lines.join('\n')).toContain('Record has been updated')
  })
})

describe('headers, auth and cookies', () => {
  it('sends the Authorization header from the provider and keeps cookies in the jar', async () => {
    let n = 0
    const { client, calls, log } = clientWith(
      () => ({
        status: 200,
        body: '[]',
        contentType: 'application/json',
        setCookie: ['ASP.NET_SessionId=abc; path=/'],
      }),
      { auth: async () => `Negotiate token-${++n}`, cookieJar: createMemoryCookieJar() },
    )
    await client.listRequests()
    await client.listRequests()
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['Negotiate token-1', 'Negotiate token-2'])
    expect(calls[0]?.headers.Cookie).toBeUndefined()
    expect(calls[1]?.headers.Cookie).toBe('ASP.NET_SessionId=abc')
    expect(calls[0]?.headers['Content-Type']).toBeUndefined()
    expect(log.lines.join('\n')).not.toContain('token-')
  })

  it('a failing auth provider → windows-sign-in-failed, nothing sent', async () => {
    const { client, calls } = clientWith(() => json(200, []), {
      auth: async () => {
        throw new Error('no ticket')
      },
    })
    await expect(client.listRequests()).rejects.toMatchObject({ code: 'windows-sign-in-failed' })
    expect(calls).toHaveLength(0)
  })

  it('builds URLs under appRoot (trailing slashes removed) with lower-case GUIDs', async () => {
    const { client, calls } = clientWith(() => raw(204, '', null), {
      appRoot: 'http://127.0.0.1:9/CertificateManagement///',
    })
    await client.getProfile('{C0DD5C7D-EC35-4346-BACA-3AD711E9722F}')
    expect(calls[0]?.rawUrl).toBe(
      'http://127.0.0.1:9/CertificateManagement/api/v1.0/profiles/c0dd5c7d-ec35-4346-baca-3ad711e9722f',
    )
  })
})
