import { describe, expect, it } from 'vitest'
import { CardSession, type JobState } from '../../../electron/services/card/card-session'
import { silentLogger } from '../../../electron/services/log'
import type { CardChannel } from '../../../electron/services/reader/types'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')

/** A channel that answers from a script and records what it was sent (copies, before any zeroing). */
function scripted(answers: string[]): CardChannel & { sent: string[]; raw: Buffer[]; replies: Buffer[] } {
  const sent: string[] = []
  const raw: Buffer[] = []
  const replies: Buffer[] = []
  return {
    reader: 'R',
    atr: '3b',
    sent,
    raw,
    replies,
    transmit: async (apdu) => {
      sent.push(Buffer.from(apdu).toString('hex'))
      raw.push(apdu as Buffer)
      const next = answers.shift()
      if (next === undefined) throw new Error('script exhausted')
      const reply = hex(next)
      replies.push(reply)
      return reply
    },
  }
}

const session = (ch: CardChannel, state: JobState = { committed: false, apdus: 0 }) =>
  new CardSession(ch, state, silentLogger)

describe('CardSession transport (gids-card-edge.md §2)', () => {
  it('collects a long answer with GET RESPONSE until 9000 (61xx, 61 00 = 256)', async () => {
    const part1 = 'aa'.repeat(256)
    const part2 = 'bb'.repeat(256)
    const ch = scripted([part1 + '6100', part2 + '610e', 'cc'.repeat(14) + '9000'])
    const answer = await session(ch).exchange({
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: hex('5c027f71'),
      le: 256,
    })
    expect(answer.sw).toBe(0x9000)
    expect(answer.data.length).toBe(256 + 256 + 14)
    expect(ch.sent).toEqual(['00cb3fff045c027f7100', '00c0000000', '00c000000e'])
  })

  it('resends with the Le the card asks for on 6Cxx', async () => {
    const ch = scripted(['6c0a', '7f7106970103930103' + '9000'])
    const answer = await session(ch).exchange({
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: hex('5c027f71'),
      le: 256,
    })
    expect(answer.sw).toBe(0x9000)
    expect(ch.sent).toEqual(['00cb3fff045c027f7100', '00cb3fff045c027f710a'])
  })

  it('chains data longer than 255 bytes with CLA 10 and stops at a refused link', async () => {
    const data = Buffer.alloc(300, 0x11)
    const ch = scripted(['9000', '9000'])
    const s = session(ch)
    expect((await s.exchange({ ins: 0xdb, p1: 0xa0, p2: 0x00, data })).sw).toBe(0x9000)
    expect(ch.sent.map((h) => h.slice(0, 10))).toEqual(['10dba000ff', '00dba0002d'])

    const refused = scripted(['6884'])
    const answer = await session(refused).exchange({ ins: 0xdb, p1: 0xa0, p2: 0x00, data })
    expect(answer.sw).toBe(0x6884)
    expect(refused.sent).toHaveLength(1)
  })

  it('reports an answer without a status word as card-removed (pcsclite mid-APDU removal)', async () => {
    const ch = scripted([''])
    await expect(session(ch).exchange({ ins: 0xa4, p1: 4, p2: 0 })).rejects.toMatchObject({
      code: 'card-removed',
    })
  })

  it('gives up on a card that answers 61xx forever', async () => {
    const ch = scripted(Array.from({ length: 400 }, () => '01' + '6101'))
    await expect(session(ch).exchange({ ins: 0xca, p1: 0, p2: 0, le: 1 })).rejects.toMatchObject({
      code: 'apdu-failed',
    })
  })

  it('zeroes secret commands and secret answers after the exchange, and marks the job committed', async () => {
    const ch = scripted(['7c0a8108d61143f9ccffd2ca9000'])
    const state: JobState = { committed: false, apdus: 0 }
    const answer = await session(ch, state).exchange(
      { ins: 0x87, p1: 0, p2: 0, data: hex('7c0a8208aabbccddeeff0011') },
      { secret: true, secretAnswer: true, commits: true },
    )
    expect(answer.data.toString('hex')).toBe('7c0a8108d61143f9ccffd2ca') // the caller's copy survives
    expect(ch.raw[0]!.every((b) => b === 0)).toBe(true) // the built APDU is zeroed
    expect(ch.replies[0]!.every((b) => b === 0)).toBe(true) // and so is the raw answer
    expect(state).toEqual({ committed: true, apdus: 1 })
  })

  it('leaves non-secret commands alone and does not mark reads as committed', async () => {
    const ch = scripted(['9000'])
    const state: JobState = { committed: false, apdus: 0 }
    await session(ch, state).exchange({ ins: 0xa4, p1: 4, p2: 0, data: hex('a00000039742544659') })
    expect(ch.raw[0]!.some((b) => b !== 0)).toBe(true)
    expect(ch.replies[0]!.toString('hex')).toBe('9000')
    expect(state.committed).toBe(false)
  })
})
