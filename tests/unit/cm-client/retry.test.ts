import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../../electron/services/cm/http'
import { DOC_RESPONSES } from './doc-fixtures'
import { clientWith, json, raw, type FakeReply } from './fake-fetch'

// Retries: only GETs and the idempotent status PUTs (E08, E17); only network errors, timeouts and 5xx.

const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'
const SCID = '17cf063d-e337-4aa9-a822-346554ddd3c9'
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const E500 = json(500, {
  Message: 'An error has occurred. Correlation ID: 6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11',
})
const NET: FakeReply = { network: new Error('ECONNRESET') }

/** Fail `failures` times with `reply`, then answer `ok`. */
function flaky(failures: number, reply: FakeReply, ok: FakeReply) {
  return (_r: unknown, n: number) => (n <= failures ? reply : ok)
}

describe('retry policy', () => {
  it('a GET is retried on 5xx, network errors and 503, with exponential backoff and jitter', async () => {
    for (const failure of [E500, NET, raw(503, '', null)]) {
      const { client, calls, sleeps } = clientWith(
        flaky(2, failure, raw(200, DOC_RESPONSES['FX-E07-1']?.body ?? '')),
      )
      const r = await client.getRequest(RID)
      expect(r?.uuid).toBe(RID)
      expect(calls).toHaveLength(3)
      // base 100 ms, random 0.5 → d/2 + 0.5·d/2 = 0.75·d: 75, then 150.
      expect(sleeps).toEqual([75, 150])
    }
  })

  it('gives up after `attempts` and throws the last error', async () => {
    const { client, calls, sleeps } = clientWith(() => E500)
    await expect(client.listProfileTemplates()).rejects.toMatchObject({
      code: 'server-error',
      info: { correlationId: '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11' },
    })
    expect(calls).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
  })

  it('4xx is never retried', async () => {
    for (const status of [401, 403, 404, 400]) {
      const { client, calls } = clientWith(() => json(status, { Message: 'no' }))
      await expect(client.getRequest(RID)).rejects.toBeDefined()
      expect(calls, String(status)).toHaveLength(1)
    }
  })

  it('invalid responses are not retried', async () => {
    const { client, calls } = clientWith(() => raw(200, '<html/>', 'text/html'))
    await expect(client.getRequest(RID)).rejects.toMatchObject({ code: 'invalid-response' })
    expect(calls).toHaveLength(1)
  })

  const posts: Array<[string, (c: ReturnType<typeof clientWith>['client']) => Promise<unknown>]> = [
    ['POST /requests', (c) => c.createRequest({ type: 'Enroll', profileTemplateUuid: RID })],
    ['POST /smartcards', (c) => c.assignSmartcard({ requestId: RID, cardId: CARDID })],
    ['POST certificatedata', (c) => c.submitCertificateRequests(RID, { certificateRequests: ['MIIB'] })],
  ]
  for (const [name, call] of posts) {
    it(`${name} is never retried (500, network error or timeout)`, async () => {
      for (const failure of [E500, NET, 'hang' as const]) {
        const { client, calls, sleeps } = clientWith(() => failure, { timeoutMs: 30 })
        await expect(call(client)).rejects.toMatchObject({
          code: failure === E500 ? 'server-error' : failure === NET ? 'network' : 'timeout',
        })
        expect(calls).toHaveLength(1)
        expect(sleeps).toEqual([])
      }
    })
  }

  it('the status PUTs E08 and E17 are idempotent and retried', async () => {
    const e08 = clientWith(flaky(1, NET, raw(200, DOC_RESPONSES['FX-E08-1']?.body ?? '')))
    expect((await e08.client.completeRequest(RID)).status.raw).toBe(8)
    expect(e08.calls.map((c) => c.method)).toEqual(['PUT', 'PUT'])
    const e17 = clientWith(flaky(2, E500, raw(200, DOC_RESPONSES['FX-E17-1']?.body ?? '')))
    expect((await e17.client.retireSmartcard(RID, SCID)).status.raw).toBe(6)
    expect(e17.calls).toHaveLength(3)
  })

  it('the secret GETs (E14/E15/E16) are retried like any GET', async () => {
    const { client, calls } = clientWith(flaky(1, E500, raw(200, DOC_RESPONSES['FX-E15-1']?.body ?? '')))
    const r = await client.getAuthenticationResponse(RID, SCID, {
      cardId: CARDID,
      challenge: Buffer.from('d61143f9ccffd2ca', 'hex'),
      diversified: false,
    })
    expect(r?.toString('base64')).toBe('F0Zudm4wPLY=')
    expect(calls).toHaveLength(2)
  })

  it('attempts: 1 disables retries', async () => {
    const { client, calls } = clientWith(() => E500, {
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    })
    await expect(client.getRequest(RID)).rejects.toMatchObject({ code: 'server-error' })
    expect(calls).toHaveLength(1)
  })

  it('backoff: exponential, capped, jitter within [d/2, d]', () => {
    const p = { attempts: 9, baseDelayMs: 200, maxDelayMs: 1000 }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n, () => 0))).toEqual([100, 200, 400, 500, 500])
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n, () => 0.999999))).toEqual([
      200, 400, 800, 1000, 1000,
    ])
  })
})
