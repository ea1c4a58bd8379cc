import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryCookieJar } from '../../../electron/services/cm/cookie-jar'
import {
  startCmSimulator,
  type CmSimulator,
  type MalformedVariant,
} from '../../../electron/simulator/cm/index'
import { StationError } from '../../../shared/errors'
import { docCsr, hits, IDS, simClient } from './sim-client'

// Contract tests, failure side: every error code and the retry policy against the real simulator, with
// its fault injection (SIM-F1/F2) and switches (SIM-F4).

const PENDING = '7c000000-0000-4000-8000-000000000001'
const JDOE_CARD = '7a000000-0000-4000-8000-000000000007'

async function caught(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(StationError)
  return e as StationError
}

describe('contract: error codes and retries', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'training' })
  })
  beforeEach(() => sim.control.reset())
  afterAll(() => sim.close())

  it('401 → windows-sign-in-failed (no credentials, or a token nobody knows); never retried', async () => {
    const anonymous = simClient(sim, null).client
    expect((await caught(anonymous.listProfileTemplates())).toInfo()).toEqual({
      code: 'windows-sign-in-failed',
    })
    const stranger = simClient(sim, 'CORP\\mallory').client
    expect((await caught(stranger.getRequest(PENDING))).code).toBe('windows-sign-in-failed')
    expect(hits(sim, 'E07')).toBe(1)
  })

  it('403 → forbidden (helpdesk may not initiate Retire, SIM-P4); never retried', async () => {
    const helpdesk = simClient(sim, 'CORP\\helpdesk1').client
    const e = await caught(helpdesk.createRequest({ type: 'Retire', smartcardUuid: JDOE_CARD }))
    expect(e.toInfo()).toEqual({ code: 'forbidden' })
    expect(hits(sim, 'E05')).toBe(1)
  })

  it('404 → not-found: API disabled (HTML body) or a wrong app root; never retried', async () => {
    sim.control.setSwitches({ apiEnabled: false })
    const { client } = simClient(sim, 'CORP\\jdoe')
    expect((await caught(client.getRequest(PENDING))).toInfo()).toEqual({ code: 'not-found' })
    expect(hits(sim, 'E07')).toBe(1)
    sim.control.setSwitches({ apiEnabled: true })
    const wrong = simClient(sim, 'CORP\\jdoe', { appRoot: `${sim.baseUrl}/CertMgmt` }).client
    expect((await caught(wrong.listRequests())).code).toBe('not-found')
  })

  it('business-rule 500 → server-error with the simulator’s correlation id; the idempotent PUT retried', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    // Completing a Pending request is refused (SIM-B1).
    const e = await caught(client.completeRequest(PENDING))
    expect(e.code).toBe('server-error')
    const [last] = sim.control.lastErrors(1)
    expect(e.toInfo()).toEqual({ code: 'server-error', correlationId: last?.correlationId })
    expect(hits(sim, 'E08')).toBe(3)
  })

  it('an injected 500 on a POST is surfaced once, never retried', async () => {
    sim.control.addFault({ match: { route: 'E05', times: 1 }, action: { type: 'status', code: 500 } })
    const { client } = simClient(sim, 'CORP\\jdoe')
    const e = await caught(client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin }))
    expect(e.info.correlationId).toBe(sim.control.lastErrors(1)[0]?.correlationId)
    expect(hits(sim, 'E05')).toBe(1)
    // The fault is spent: the next create works, so the single hit above is the client's choice.
    await expect(
      client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin }),
    ).resolves.toMatch(/^[0-9a-f-]{36}$/)
  })

  it('a transient 500/503 on a GET is retried to success', async () => {
    sim.control.addFault({ match: { route: 'E07', times: 1 }, action: { type: 'status', code: 500 } })
    sim.control.addFault({ match: { route: 'E13', times: 2 }, action: { type: 'status', code: 503 } })
    const { client, sleeps } = simClient(sim, 'CORP\\jdoe')
    expect((await client.getRequest(PENDING))?.status.raw).toBe(16)
    expect(await client.getSmartcard(JDOE_CARD)).not.toBeNull()
    expect(hits(sim, 'E07')).toBe(2)
    expect(hits(sim, 'E13')).toBe(3)
    expect(sleeps).toHaveLength(3)
  })

  for (const variant of ['message+property', 'property-only', 'no-id'] as const) {
    it(`500 body variant "${variant}" (SIM-F3 error-body-variants)`, async () => {
      sim.control.setSwitches({ errorBodyVariant: variant })
      const { client } = simClient(sim, 'CORP\\jdoe', {
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      })
      const e = await caught(client.completeRequest(PENDING))
      const expected = variant === 'no-id' ? undefined : sim.control.lastErrors(1)[0]?.correlationId
      expect(e.code).toBe('server-error')
      expect(e.info.correlationId).toBe(expected)
    })
  }

  it('dropped connection → network: a GET retries to success, a POST is not retried', async () => {
    sim.control.addFault({
      match: { route: 'E07', times: 1 },
      action: { type: 'drop', when: 'before-headers' },
    })
    const { client } = simClient(sim, 'CORP\\jdoe')
    expect(await client.getRequest(PENDING)).not.toBeNull()
    expect(hits(sim, 'E07')).toBe(2)
    // The server creates the request, then the connection drops (afterHandler): the client must not retry.
    sim.control.addFault({
      match: { route: 'E05', times: 1 },
      action: { type: 'drop', when: 'before-headers', afterHandler: true },
    })
    const before = sim.control.state().Requests.length
    expect(
      (await caught(client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin }))).code,
    ).toBe('network')
    expect(hits(sim, 'E05')).toBe(1)
    expect(sim.control.state().Requests.length).toBe(before + 1)
  })

  it('a connection dropped mid-body → network (retried, then given up)', async () => {
    sim.control.addFault({ match: { route: 'E22' }, action: { type: 'drop', when: 'mid-body' } })
    const { client } = simClient(sim, 'CORP\\Administrator')
    expect((await caught(client.listCertificates())).code).toBe('network')
    expect(hits(sim, 'E22')).toBe(3)
  })

  it('hang / latency beyond timeoutMs → timeout; a POST times out once', async () => {
    sim.control.addFault({ match: { route: 'E13', times: 1 }, action: { type: 'hang' } })
    const { client: fast, sent } = simClient(sim, 'CORP\\jdoe', { timeoutMs: 150 })
    expect(await fast.getSmartcard(JDOE_CARD)).not.toBeNull()
    expect(hits(sim, 'E13')).toBe(2)
    sim.control.addFault({ match: { route: 'E07' }, action: { type: 'hang' } })
    expect((await caught(fast.getRequest(PENDING))).code).toBe('timeout')
    expect(hits(sim, 'E07')).toBe(3)
    // Latency: the simulator logs a delayed request only when its delay ends, so count on the client side
    // (and use a route no other test counts).
    sim.control.addFault({ match: { route: 'E02' }, action: { type: 'latency', ms: 400 } })
    expect((await caught(fast.getProfileTemplate(IDS.tServerPin))).code).toBe('timeout')
    expect(sent.filter((s) => s.includes('/profiletemplates/'))).toHaveLength(3)
    sim.control.addFault({ match: { route: 'E10' }, action: { type: 'hang' } })
    expect(
      (await caught(fast.submitCertificateRequests(PENDING, { certificateRequests: [docCsr()] }))).code,
    ).toBe('timeout')
    expect(hits(sim, 'E10')).toBe(1)
  })

  it('a body that trickles in slower than timeoutMs → timeout', async () => {
    sim.control.addFault({ match: { route: 'E22' }, action: { type: 'slowBody', bytesPerSec: 200 } })
    const { client } = simClient(sim, 'CORP\\Administrator', {
      timeoutMs: 200,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    })
    expect((await caught(client.listCertificates())).code).toBe('timeout')
  })

  const invalid: MalformedVariant[] = [
    'truncated-json',
    'invalid-json',
    'html-200',
    'wrong-content-type',
    'empty-200',
  ]
  for (const variant of invalid) {
    it(`malformed "${variant}" → invalid-response, not retried`, async () => {
      sim.control.addFault({ match: { route: 'E07' }, action: { type: 'malformed', variant } })
      const { client, log } = simClient(sim, 'CORP\\jdoe')
      expect((await caught(client.getRequest(PENDING))).toInfo()).toEqual({ code: 'invalid-response' })
      expect(hits(sim, 'E07')).toBe(1)
      expect(log.lines.join('\n')).toContain('E07')
    })
  }

  it('malformed "html-500" → server-error; "null-200" → null (like 204)', async () => {
    sim.control.addFault({
      match: { route: 'E07', times: 3 },
      action: { type: 'malformed', variant: 'html-500' },
    })
    const { client } = simClient(sim, 'CORP\\jdoe')
    expect((await caught(client.getRequest(PENDING))).code).toBe('server-error')
    sim.control.addFault({ match: { route: 'E13' }, action: { type: 'malformed', variant: 'null-200' } })
    expect(await client.getSmartcard(JDOE_CARD)).toBeNull()
  })

  it('204 on the writes E17 and E11 (OQ-14): the client re-reads the object', async () => {
    const { client } = simClient(sim, 'CORP\\jdoe')
    const rid = await client.createRequest({ type: 'Retire', smartcardUuid: JDOE_CARD })
    sim.control.addFault({
      match: { route: 'E17' },
      action: { type: 'status', code: 204, afterHandler: true },
    })
    expect((await client.retireSmartcard(rid, JDOE_CARD)).status.raw).toBe(6)
    const enroll = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    sim.control.addFault({
      match: { route: 'E11' },
      action: { type: 'status', code: 204, afterHandler: true },
    })
    const cardId = '5e1f0000-aaaa-4bbb-8ccc-00000000000a'
    const scid = await client.assignSmartcard({ requestId: enroll, cardId })
    expect((await client.getSmartcard(scid))?.cardId).toBe(cardId)
  })

  it('unknown enum numbers (SIM-F3) stay raw; empty lists as 204 (emptyListStatus) → []', async () => {
    sim.control.setSwitches({ unknownEnumValues: true })
    const { client } = simClient(sim, 'CORP\\jdoe')
    const r = await client.getRequest(PENDING)
    expect(r?.status.name).toBeUndefined()
    expect(r?.requestType.name).toBeUndefined()
    expect(typeof r?.status.raw).toBe('number')
    sim.control.setSwitches({ unknownEnumValues: false, emptyListStatus: 204 })
    const nobody = simClient(sim, 'CORP\\nobody').client
    expect(await nobody.listProfileTemplates()).toEqual([])
    expect(await nobody.listRequests()).toEqual([])
  })

  it('session cookie (SIM-A3): the jar keeps the session when the auth provider has nothing more', async () => {
    sim.control.setSwitches({ sessionCookie: true })
    let first = true
    const auth = async () => {
      if (!first) return undefined
      first = false
      return sim.control.authorizationFor('CORP\\jdoe')
    }
    const withJar = simClient(sim, null, { auth, cookieJar: createMemoryCookieJar() }).client
    expect(await withJar.getRequest(PENDING)).not.toBeNull()
    expect(await withJar.getRequest(PENDING)).not.toBeNull()
    first = true
    const noJar = simClient(sim, null, { auth }).client
    expect(await noJar.getRequest(PENDING)).not.toBeNull()
    expect((await caught(noJar.getRequest(PENDING))).code).toBe('windows-sign-in-failed')
  })

  it('the caller’s abort ends a hanging call with its own reason', async () => {
    sim.control.addFault({ match: { route: 'E07' }, action: { type: 'hang' } })
    const { client } = simClient(sim, 'CORP\\jdoe')
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('operator left')), 30)
    await expect(client.getRequest(PENDING, { signal: controller.signal })).rejects.toThrow('operator left')
    expect(hits(sim, 'E07')).toBe(1)
  })

  it('secrets stay out of the logs on a real round trip (challenge, key, PIN)', async () => {
    const { client, log } = simClient(sim, 'CORP\\jdoe')
    const cardId = '5e1f0000-aaaa-4bbb-8ccc-00000000000b'
    const rid = await client.createRequest({ type: 'Enroll', profileTemplateUuid: IDS.tServerPin })
    const scid = await client.assignSmartcard({ requestId: rid, cardId })
    const challenge = Buffer.from('d61143f9ccffd2ca', 'hex')
    const response = await client.getAuthenticationResponse(rid, scid, {
      cardId,
      challenge,
      diversified: false,
    })
    const pin = await client.getServerProposedPin(rid, scid, { cardId, challenge })
    sim.control.addFault({ match: { route: 'E15' }, action: { type: 'status', code: 500 } })
    await caught(client.getAuthenticationResponse(rid, scid, { cardId, challenge, diversified: false }))
    const text = log.lines.join('\n')
    expect(text).toContain('challenge=[redacted]')
    for (const secret of [
      challenge.toString('base64'),
      encodeURIComponent(challenge.toString('base64')),
      response!.toString('base64'),
      pin.kind === 'server' ? pin.pin : 'no-pin',
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
