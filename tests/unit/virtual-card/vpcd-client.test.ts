import { afterEach, describe, expect, it } from 'vitest'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import type { CardProcessor, VpcdEvent } from '../../../electron/simulator/card/vpcd-client'
import { VpcdCard, VpcdFrameDecoder, vpcdFrame } from '../../../electron/simulator/card/vpcd-client'
import { FakeVpcd } from './fake-vpcd'
import { hex } from './helpers'

describe('vpcd framing (pcsc-lab.md §2b)', () => {
  it('frames with a 2-byte big-endian length', () => {
    expect(vpcdFrame(hex('04')).toString('hex')).toBe('000104')
    expect(vpcdFrame(Buffer.alloc(0x123)).subarray(0, 2).toString('hex')).toBe('0123')
    expect(() => vpcdFrame(Buffer.alloc(0x10000))).toThrow(RangeError)
  })

  it('reassembles frames split anywhere, including byte by byte and header/body apart', () => {
    const stream = Buffer.concat([
      vpcdFrame(hex('01')),
      vpcdFrame(hex('04')),
      vpcdFrame(Buffer.alloc(300, 7)),
    ])
    for (const cut of [1, 2, 3, 5, 7, 64, stream.length]) {
      const d = new VpcdFrameDecoder()
      const frames: Buffer[] = []
      for (let i = 0; i < stream.length; i += cut) frames.push(...d.push(stream.subarray(i, i + cut)))
      expect(frames.map((f) => f.length)).toEqual([1, 1, 300])
      expect(d.pending).toBe(0)
    }
    const d = new VpcdFrameDecoder()
    expect(d.push(hex('0001'))).toEqual([]) // header alone (vpcd 0.8's first send())
    expect(d.pending).toBe(2)
    expect(d.push(hex('04')).map((f) => f.toString('hex'))).toEqual(['04'])
  })
})

describe('VpcdCard against a fake vpcd', () => {
  let vpcd: FakeVpcd
  let card: VpcdCard | null = null

  afterEach(async () => {
    await card?.remove()
    await vpcd?.close()
  })

  let onRemoved: (() => void) | null = null

  async function plug(processor: CardProcessor = GidsCard.personalised(), events: VpcdEvent[] = []) {
    vpcd = new FakeVpcd()
    await vpcd.listen()
    const onEvent = (e: VpcdEvent) => {
      events.push(e)
      if (e.type === 'removed') onRemoved?.()
    }
    card = new VpcdCard({ card: processor, port: vpcd.port, onEvent })
    const socketP = vpcd.nextSocket()
    await card.insert()
    return socketP
  }

  it('answers GET ATR, stays silent on power control, answers APDUs; state cleared on power-on', async () => {
    const events: VpcdEvent[] = []
    const s = await plug(GidsCard.personalised(), events)
    await vpcd.sendSplit(s, hex('04'))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('3b8d0180fba000000397425446590301c8')
    expect(events.map((e) => e.type)).toEqual(['connected', 'present'])
    await vpcd.sendSplit(s, hex('01')) // power on: no reply
    await vpcd.sendSplit(s, hex('0020008008' + Buffer.from('12345678').toString('hex')))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('9000') // the reply to VERIFY, nothing before it
    await vpcd.sendSplit(s, hex('00200080'))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('9000')
    await vpcd.sendSplit(s, hex('02')) // warm reset: no reply, PIN state gone
    await vpcd.sendSplit(s, hex('04'))
    expect((await vpcd.nextFrame()).length).toBe(17)
    await vpcd.sendSplit(s, hex('00200080'))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('63c3')
    await vpcd.sendSplit(s, hex('00'))
    await vpcd.sendSplit(s, hex('00a4040009a0000003974254465900'))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('61124f0ba00000039742544659020173034001c09000')
  })

  it('answers two frames that arrive in one segment, in order', async () => {
    const s = await plug()
    s.write(Buffer.concat([vpcdFrame(hex('04')), vpcdFrame(hex('00cadf3005'))]))
    expect((await vpcd.nextFrame()).length).toBe(17)
    expect((await vpcd.nextFrame()).toString('hex')).toBe('6d00')
  })

  it('answers 6F00 when the processor throws: never an unanswered APDU', async () => {
    const broken: CardProcessor = {
      atr: hex('3b00'),
      process: () => {
        throw new Error('boom')
      },
      powerOn: () => {},
      reset: () => {},
      powerOff: () => {},
    }
    const s = await plug(broken)
    await vpcd.sendSplit(s, hex('00a4040009a0000003974254465900'))
    expect((await vpcd.nextFrame()).toString('hex')).toBe('6f00')
  })

  it('remove closes the connection; insert reconnects; a peer close is reported, not thrown', async () => {
    const events: VpcdEvent[] = []
    const s = await plug(GidsCard.personalised(), events)
    const ended = new Promise<void>((r) => s.on('close', () => r()))
    await card!.remove()
    await ended
    expect(card!.inserted).toBe(false)
    expect(events.at(-1)).toEqual({ type: 'removed', byPeer: false })
    const again = vpcd.nextSocket()
    await card!.insert()
    const s2 = await again
    const removed = new Promise<void>((r) => (onRemoved = r))
    s2.destroy()
    await removed
    expect(events.at(-1)).toEqual({ type: 'removed', byPeer: true })
    expect(card!.inserted).toBe(false)
  })

  it('insert rejects when nothing listens (no pcscd)', async () => {
    vpcd = new FakeVpcd()
    await vpcd.listen()
    const port = vpcd.port
    await vpcd.close()
    const c = new VpcdCard({ card: GidsCard.personalised(), port })
    await expect(c.insert()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(c.inserted).toBe(false)
    vpcd = new FakeVpcd()
    await vpcd.listen()
  })

  it('with reconnectMs: waits for vpcd to appear, and reconnects after vpcd closes (pcscd restart)', async () => {
    vpcd = new FakeVpcd()
    await vpcd.listen()
    const port = vpcd.port
    await vpcd.close()
    const events: VpcdEvent[] = []
    card = new VpcdCard({
      card: GidsCard.personalised(),
      port,
      reconnectMs: 20,
      onEvent: (e) => events.push(e),
    })
    const inserted = card.insert()
    vpcd = new FakeVpcd()
    const first = vpcd.nextSocket()
    await vpcd.listen(port) // "pcscd starts"
    await inserted
    const s1 = await first
    const second = vpcd.nextSocket()
    s1.destroy() // "pcscd stops": vpcd closes the card's connection
    const s2 = await second
    expect(events.filter((e) => e.type === 'removed')).toEqual([{ type: 'removed', byPeer: true }])
    await vpcd.sendSplit(s2, hex('04'))
    expect((await vpcd.nextFrame()).length).toBe(17)
    await card.remove()
    expect(card.inserted).toBe(false)
  })

  it('remove() during reconnect attempts resolves the pending insert', async () => {
    vpcd = new FakeVpcd()
    await vpcd.listen()
    const port = vpcd.port
    await vpcd.close()
    card = new VpcdCard({ card: GidsCard.personalised(), port, reconnectMs: 10 })
    const inserted = card.insert()
    await card.remove()
    await expect(inserted).resolves.toBeUndefined()
    expect(card.inserted).toBe(false)
    vpcd = new FakeVpcd()
    await vpcd.listen()
  })
})
