import { describe, expect, it } from 'vitest'
import { buildApdu, buildChainedApdus } from '../../../electron/services/card/apdu'
import { encodeTlv } from '../../../electron/services/card/tlv'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { replay, swOf, tx } from './helpers'
import type { Step } from './helpers'

const SELECT_GIDS = '00a4040009a0000003974254465900'
const FCI = '61124f0ba00000039742544659020173034001c0'

describe('virtual GIDS card: SELECT and other drivers’ probes (gids-card-edge.md §3, §11a; pcsc-lab.md §5)', () => {
  // The exact probe sequence OpenSC 0.23 sent to the lab's strict card, then the GIDS select.
  const probes: Step[] = [
    ['00a4040007627601ff00000000', '6a82'],
    ['00a4040006a0000000010100', '6a82'],
    ['00a404000be82b0601040181c31f020100', '6a82'],
    ['00a4040c0fd23300000045737445494420763335', '6a82'],
    ['00cadf3005', '6d00'],
    ['00cb3fff035c017e08', '6a88'],
    ['00a4040009a0000003080000100000', '6a82'],
    ['00a4040c07a000000116', '6700'], // Lc larger than the data: never 9000
    ['00a4040c07a000000116db0000', '6a82'],
    ['00a4040c07a000000079100000', '6a82'],
    ['00a404000cf276a288bcfba69d34f31001', '6a82'],
    ['b03c010000', '6e00'], // MuscleApplet follow-up if a card answered 9000 to everything
    ['80ca9f7f00', '6e00'],
    ['0084000008', '6d00'], // GET CHALLENGE is not GIDS (§1)
    ['00a40800022f0000', '6a82'], // pkcs15-tool path select
    ['00a4000c023f00', '6a82'],
    [SELECT_GIDS, FCI + '9000'],
  ]

  it('answers every probe like a real GIDS card and the GIDS SELECT with the FCI', () => {
    replay(GidsCard.personalised(), probes)
  })

  it.each<[string, string]>([
    ['P2=0C (gids-tool)', '00a4040c09a00000039742544659'],
    ['instance AID …59 02 01', '00a404000ba00000039742544659020100'],
    ['revision 01 AID', '00a404000aa0000003974254465901'],
  ])('accepts %s', (_n, apdu) => {
    const out = tx(GidsCard.personalised(), apdu)
    expect(out.endsWith('9000')).toBe(true)
    if (apdu.slice(6, 8) === '0c') expect(out).toBe('9000')
  })

  it('returns FCP (P2=04) and FMD (P2=08)', () => {
    const card = GidsCard.personalised()
    expect(tx(card, '00a4040409a0000003974254465900')).toBe('62088201388c030330309000')
    expect(tx(card, '00a4040809a0000003974254465900')).toBe('64095f2f01607f650280009000')
    expect(swOf(card, '00a4040109a0000003974254465900')).toBe('6a86')
  })

  it('selects the application DF (3FFF) and EFs by FID; unknown FIDs → 6A82', () => {
    const card = GidsCard.personalised()
    replay(card, [
      ['00a4000c023fff', '9000'],
      ['00a4000c02a012', '9000'],
      ['00a4000c02b0ff', '6a82'],
      ['00a4000002a012', '620c8201398302a0128c03032000' + '9000'],
    ])
  })

  it('rejects secure messaging, other classes and logical channels; unknown INS → 6D00', () => {
    const card = GidsCard.personalised()
    expect(swOf(card, '0ca4040c09a00000039742544659')).toBe('6882')
    expect(swOf(card, '80cb3fff045c027f7100')).toBe('6e00')
    expect(swOf(card, '01cb3fff045c027f7100')).toBe('6881')
    expect(swOf(card, '00e6000000')).toBe('6d00')
    expect(swOf(card, '00')).toBe('6700')
  })
})

describe('virtual GIDS card: chaining and GET RESPONSE (§2)', () => {
  const bigValue = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff))

  function writeChained(card: GidsCard, ef: number, tag: number, value: Buffer): string[] {
    const data = encodeTlv(tag, value)
    return buildChainedApdus({ ins: 0xdb, p1: ef >> 8, p2: ef & 0xff, data }).map((a) => tx(card, a))
  }

  it('joins a chained PUT DATA and returns >256 bytes with 61xx + GET RESPONSE', () => {
    const card = GidsCard.personalised()
    tx(card, '00200080083132333435363738') // user PIN: A010 is user-writable
    const answers = writeChained(card, 0xa010, 0xdf24, bigValue)
    expect(answers).toEqual(['9000', '9000', '9000']) // 704 bytes = 255 + 255 + 194
    const first = tx(card, '00cba010045c02df2400')
    expect(first.length).toBe((256 + 2) * 2)
    expect(first.slice(-4)).toBe('6100') // 704 − 256 = 448 left: ≥ 256
    let all = first.slice(0, -4)
    let sw = first.slice(-4)
    let rounds = 0
    while (sw.startsWith('61') && rounds++ < 10) {
      const le = parseInt(sw.slice(2), 16)
      const next = tx(card, buildApdu({ ins: 0xc0, p1: 0, p2: 0, le: le === 0 ? 256 : le }))
      all += next.slice(0, -4)
      sw = next.slice(-4)
    }
    expect(sw).toBe('9000')
    expect(all).toBe(encodeTlv(0xdf24, bigValue).toString('hex'))
    expect(rounds).toBe(2) // 256 + 256 + 192
  })

  it('honours a short Le with 61xx and drops the response buffer on a different command', () => {
    const card = GidsCard.personalised()
    const out = tx(card, '00cba000045c02df1f10')
    expect(out.slice(-4)).toBe('6181') // 145 − 16 = 129 left
    expect(out.length).toBe((16 + 2) * 2)
    expect(swOf(card, '00cba012045c02df2000')).toBe('9000')
    expect(swOf(card, '00c0000081')).toBe('6985')
  })

  it('drops an interrupted chain', () => {
    const card = GidsCard.personalised()
    tx(card, '00200080083132333435363738')
    const chunks = buildChainedApdus({ ins: 0xdb, p1: 0xa0, p2: 0x10, data: encodeTlv(0xdf25, bigValue) })
    expect(tx(card, chunks[0]!)).toBe('9000')
    expect(swOf(card, '00cba010045c02df2100')).toBe('9000') // different command: chain dropped
    // The tail alone is not a valid TLV any more.
    expect(swOf(card, chunks[chunks.length - 1]!)).toBe('6984')
    expect(swOf(card, '00cba010045c02df2500')).toBe('6a88')
  })

  it('refuses chaining for SELECT and GET RESPONSE', () => {
    const card = GidsCard.personalised()
    expect(swOf(card, '10a4040c09a00000039742544659')).toBe('6884')
  })
})
