import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import type { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { GidsCardEdge as Edge } from '../../../electron/services/card/gids-card-edge'
import { createLocalResponder } from '../../../electron/services/card/local-responder'
import { adminResponse } from '../../../electron/services/crypto/des'
import { createMemoryLogger } from '../../../electron/services/log'
import { ReaderService } from '../../../electron/services/reader/reader-service'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { MemoryReaderBackend } from '../../../electron/simulator/card/memory-backend'
import type { PullStyle } from './fake-access'
import { CARDID, CARDID_GUID, K0, KD, READER, setup } from './edge-helpers'

/** `apdus` on a healthy card; `logout`: the last APDU is the closing logout (the work is done before it). */
type Op = { name: string; apdus: number; logout: boolean; run: (edge: GidsCardEdge) => Promise<unknown> }

const k0 = () => createLocalResponder(K0).respond
/** Each multi-APDU operation and how many APDUs it sends on a healthy card. */
const OPS: Op[] = [
  { name: 'identify', apdus: 3, logout: false, run: (e) => e.identify(READER) },
  { name: 'pinStatus', apdus: 2, logout: false, run: (e) => e.pinStatus(READER) },
  { name: 'verifyPin', apdus: 3, logout: true, run: (e) => e.verifyPin(READER, '12345678') },
  { name: 'getAdminChallenge', apdus: 3, logout: false, run: (e) => e.getAdminChallenge(READER) },
  {
    name: 'changeAdminKey',
    apdus: 6,
    logout: true,
    run: (e) => e.changeAdminKey(READER, { respond: k0(), newKey: KD }),
  },
  {
    name: 'setUserPin (with cardid check)',
    apdus: 8,
    logout: true,
    run: (e) => e.setUserPin(READER, { respond: k0(), pin: '24681357', expectCardId: CARDID_GUID }),
  },
]

const cases = OPS.flatMap((op) =>
  (['throws', 'empty'] as PullStyle[]).flatMap((style) =>
    Array.from({ length: op.logout ? op.apdus - 1 : op.apdus }, (_, i) => ({ op, style, n: i + 1 })),
  ),
)

describe('card pulled in the middle of an operation', () => {
  it.each(OPS)('$name sends $apdus APDUs on a healthy card', async (op) => {
    const { edge, access } = setup()
    await op.run(edge)
    expect(access.sent.length).toBe(op.apdus)
  })

  it.each(cases)(
    '$op.name, pulled before APDU $n ($style) → card-removed; works after reinsertion',
    async ({ op, style, n }) => {
      const { edge, access, card } = setup()
      access.pullBefore = { n, style }
      await expect(op.run(edge)).rejects.toMatchObject({ code: 'card-removed' })
      access.insert(card)
      await expect(edge.identify(READER)).resolves.toMatchObject({ cardId: CARDID_GUID })
      await op.run(edge)
    },
  )

  it('a pull after the privileged command, before the logout, still reports the completed change', async () => {
    const { edge, access, card } = setup()
    access.pullBefore = { n: 6, style: 'empty' }
    await edge.changeAdminKey(READER, { respond: k0(), newKey: KD })
    expect(card.snapshot().adminKey).toBe(KD.toString('hex'))
  })
})

describe('transient PC/SC failures right after insertion', () => {
  const reset = () => new StationError('card-removed', {}, 'SCardTransmit error: Card was reset.(0x80100068)')
  const sharing = () =>
    new StationError('reader-unavailable', {}, 'SCardConnect error: Sharing violation.(0x8010000b)')
  const notTransacted = () =>
    new StationError('card-removed', {}, 'SCardTransmit error: Transaction failed.(0x80100016)')

  it('retries sharing violations and resets with backoff, re-selecting every time', async () => {
    const { edge, access, sleeps } = setup()
    access.connectErrors.push(sharing())
    access.transmitErrors.push(reset())
    await expect(edge.identify(READER)).resolves.toMatchObject({ cardId: CARDID_GUID })
    expect(sleeps).toEqual([100, 300])
    expect(access.jobs).toBe(3)
    expect(access.headers().filter((h) => h === '00a40400').length).toBe(2) // the reset attempt, then success
  })

  it('gives up after the configured retries with the last error', async () => {
    const { edge, access, sleeps } = setup()
    access.connectErrors.push(sharing(), sharing(), sharing(), sharing())
    await expect(edge.pinStatus(READER)).rejects.toMatchObject({ code: 'reader-unavailable' })
    expect(sleeps).toEqual([100, 300, 800])
  })

  it('never retries once something state-changing was sent (no second counted attempt)', async () => {
    const { edge, access, card } = setup({ adminTryLimit: 3 })
    // Fail the transmit of the GA response itself (APDU 4): it may or may not have reached the card.
    let n = 0
    const respond = async (c: Buffer) => adminResponse(K0, c)
    const original = access.withCard.bind(access)
    access.withCard = (reader, job) =>
      original(reader, (ch) =>
        job({
          ...ch,
          transmit: async (apdu) => {
            if (++n === 4) throw reset()
            return ch.transmit(apdu)
          },
        }),
      )
    await expect(edge.setUserPin(READER, { respond, pin: '24681357' })).rejects.toMatchObject({
      code: 'card-removed',
    })
    expect(access.jobs).toBe(1)
    expect(card.snapshot().pin.triesLeft).toBe(3)
  })

  it('reports card-removed when a "Transaction failed" turns out to be a removal', async () => {
    const { edge, access, sleeps } = setup()
    access.transmitErrors.push(notTransacted())
    const withCard = access.withCard.bind(access)
    let calls = 0
    access.withCard = async (reader, job) => {
      if (++calls === 2) access.card = null // the retry finds the reader empty
      return withCard(reader, job)
    }
    await expect(edge.identify(READER)).rejects.toMatchObject({ code: 'card-removed' })
    expect(sleeps).toEqual([100])
  })
})

describe('secrets never reach the log', () => {
  it('keeps keys, PINs, challenges and responses out of every log line (debug level)', async () => {
    const log = createMemoryLogger()
    const { edge } = setup({ log })
    const secrets: Buffer[] = [K0, KD, Buffer.from('24681357'), Buffer.from('99998888')]
    const spy = (key: Buffer) => async (c: Buffer) => {
      const r = adminResponse(key, c)
      secrets.push(Buffer.from(c), Buffer.from(r))
      return r
    }
    await edge.changeAdminKey(READER, { respond: spy(K0), newKey: KD })
    await edge.setUserPin(READER, { respond: spy(KD), pin: '24681357' })
    await edge.verifyPin(READER, '24681357')
    await expect(edge.verifyPin(READER, '99998888')).rejects.toMatchObject({ code: 'wrong-pin' })
    await expect(edge.setUserPin(READER, { respond: spy(K0), pin: '99998888' })).rejects.toMatchObject({
      code: 'auth-failed',
    })
    const text = log.lines.join('\n').toLowerCase()
    expect(log.lines.length).toBeGreaterThan(20) // APDU headers and outcomes were logged
    for (const s of secrets.filter((b) => b.some((x) => x !== 0))) {
      expect(text).not.toContain(s.toString('hex'))
      expect(text).not.toContain(s.toString('base64').toLowerCase())
      expect(text).not.toContain(s.toString('latin1').toLowerCase())
    }
  })
})

describe('with the real ReaderService over the in-memory virtual reader', () => {
  it('runs identify and the admin sequence through withCard', async () => {
    const backend = new MemoryReaderBackend({ readers: [READER] })
    const service = new ReaderService({ backends: [backend], log: createMemoryLogger() })
    service.start()
    const card = GidsCard.personalised({ cardid: CARDID, adminKey: K0 })
    backend.insert(READER, card)
    const edge = new Edge({ access: service, log: createMemoryLogger() })
    await expect(edge.identify(READER)).resolves.toMatchObject({ cardId: CARDID_GUID, isGids: true })
    await edge.changeAdminKey(READER, { respond: k0(), newKey: KD, expectCardId: CARDID_GUID })
    await edge.setUserPin(READER, { respond: createLocalResponder(KD).respond, pin: '24681357' })
    await edge.verifyPin(READER, '24681357')
    backend.remove(READER)
    await expect(edge.identify(READER)).rejects.toMatchObject({ code: 'no-card' })
    await service.close()
  })
})
