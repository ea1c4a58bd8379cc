import { describe, expect, it } from 'vitest'
import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { buildCmapfile, parseCmapfile, parseKeymap } from '../../../electron/services/card/gids-containers'
import { createMemoryLogger } from '../../../electron/services/log'
import { digest } from '../../../electron/services/pki/digest-info'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { CARDID, READER, setup } from './edge-helpers'
import { FakeCardAccess } from './fake-access'
import { PIN, answering, cardDo, verifies } from './key-helpers'

/** Failures around user keys: removal at every step of a generation, status-word mapping (§10.1). */

const SPEC = { bits: 1024, usage: 'key-exchange' } as const

/** APDUs of one complete generateKey job on a fresh card (the reference the removal loop walks). */
async function referenceLength(): Promise<number> {
  const { edge, access } = setup()
  await edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))
  return access.sent.length
}

describe('card removed in the middle of generateKey', () => {
  it('at every APDU after VERIFY: card-removed, and the next generateKey on the same card succeeds', async () => {
    const total = await referenceLength()
    expect(total).toBeGreaterThan(12)
    // APDU 1 is SELECT, 2 VERIFY; the last one is the logout (its loss is not an error).
    for (let n = 3; n < total; n++) {
      const { edge, access, card } = setup()
      access.pullBefore = { n, style: n % 2 ? 'empty' : 'throws' }
      await expect(
        edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey({ ...SPEC, containerName: 'lost' })),
        `pulled before APDU ${n}`,
      ).rejects.toMatchObject({ code: 'card-removed' })
      access.insert(card)
      const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
        s.generateKey({ ...SPEC, containerName: 'kept' }),
      )
      // The interrupted attempt left at most a free record, which was reused: one container, no hole.
      expect(key.container, `pulled before APDU ${n}`).toBe(0)
      const cmap = parseCmapfile(cardDo(card, 0xa010, 0xdf23)!)
      expect(cmap.map((r) => [r.name, r.valid])).toEqual([['kept', true]])
      // OpenSC refuses to add keys when keymap and cmapfile counts differ (§4.5): they agree.
      expect(parseKeymap(cardDo(card, 0xa000, 0xdf20)!)).toHaveLength(cmap.length)
      const listed = await edge.listContainers(READER)
      expect(listed).toHaveLength(1)
      expect(listed[0]!.publicKey!.equals(key.publicKey)).toBe(true)
      const msg = Buffer.from(`after removal ${n}`)
      const sig = await edge.withUserPin(READER, { pin: PIN }, (s) =>
        s.signDigest(0, 'SHA256', digest('SHA256', msg)),
      )
      expect(verifies(key.publicKey, 'SHA256', msg, sig)).toBe(true)
    }
  })
})

describe('status words of key operations → closed codes', () => {
  function edgeOver(card: ReturnType<typeof answering>) {
    const log = createMemoryLogger()
    return { edge: new GidsCardEdge({ access: new FakeCardAccess(card), log }), log }
  }

  it('6A84 on CREATE FILE → card-full; the reserved record stays free and is reused later', async () => {
    const card = GidsCard.personalised({ cardid: CARDID })
    const { edge } = edgeOver(answering(card, '00e00000', '6a84'))
    await expect(edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))).rejects.toMatchObject({
      code: 'card-full',
    })
    expect(parseCmapfile(cardDo(card, 0xa010, 0xdf23)!).map((r) => r.valid)).toEqual([false])
    const healthy = new GidsCardEdge({ access: new FakeCardAccess(card), log: createMemoryLogger() })
    await expect(
      healthy.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC)),
    ).resolves.toMatchObject({
      container: 0,
    })
  })

  it('a card with 127 containers is full before anything is sent (key references end at FF)', async () => {
    const card = GidsCard.personalised({ cardid: CARDID })
    const full = buildCmapfile(
      Array.from({ length: 127 }, (_, i) => ({
        name: `c${i}`,
        valid: true,
        isDefault: i === 0,
        sigBits: 0,
        keyExchangeBits: 1024,
      })),
    )
    const state = card.snapshot()
    state.files['a010']!.dos['df23'] = full.toString('hex')
    const access = new FakeCardAccess(new GidsCard(state))
    const edge = new GidsCardEdge({ access, log: createMemoryLogger() })
    await expect(edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))).rejects.toMatchObject({
      code: 'card-full',
    })
    expect(access.headers().filter((h) => h.endsWith('e00000') || h.startsWith('00db'))).toEqual([])
  })

  it('6A81 (algorithm not supported) on MSE → apdu-failed with the SW in the log detail only', async () => {
    const { edge: plain, card } = setup()
    await plain.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))
    const { edge, log } = edgeOver(answering(card, '002241b6', '6a81'))
    const failure = edge.withUserPin(READER, { pin: PIN }, (s) =>
      s.signDigest(0, 'SHA256', digest('SHA256', Buffer.from('x'))),
    )
    await expect(failure).rejects.toMatchObject({ code: 'apdu-failed', info: {} })
    expect(log.lines.join('\n')).toMatch(/MSE sign: SW 6a81/)
  })

  it('6982 (the card wants the PIN again) on GENERATE → auth-failed', async () => {
    const card = GidsCard.personalised({ cardid: CARDID })
    const { edge } = edgeOver(answering(card, '00470000', '6982'))
    await expect(edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))).rejects.toMatchObject({
      code: 'auth-failed',
    })
  })

  it('the PIN never appears in the logs of a key job', async () => {
    const log = createMemoryLogger()
    const { edge } = setup({ log })
    await edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(SPEC))
    const text = log.lines.join('\n')
    expect(text).toContain('card: key generated')
    expect(text).not.toContain(PIN)
    expect(text).not.toContain(Buffer.from(PIN).toString('hex'))
  })
})
