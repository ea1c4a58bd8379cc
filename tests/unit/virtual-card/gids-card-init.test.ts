import { describe, expect, it } from 'vitest'
import { tdesCbcEncrypt } from '../../../electron/services/crypto/des'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { blankState, defaultMasterFile, parseState } from '../../../electron/simulator/card/gids-state'
import type { GidsCardState } from '../../../electron/simulator/card/gids-state'
import { personalisationApdus } from '../../../electron/simulator/card/personalise'
import { hex, replay, seq, swOf, tx } from './helpers'
import type { Step } from './helpers'

const S = '00112233445566778899aabbccddeeff'
const K = seq(0, 24).toString('hex')
const P = Buffer.from('123456').toString('hex')
const MASTER = defaultMasterFile().toString('hex')

// gids-card-edge.md §8.2, written out by hand from the reference (not from personalise.ts).
const INIT: Step[] = [
  ['00cba000045c02df1f00', '6a82'], // "is the card new?" → any error
  ['0024018006' + P, '9000'],
  ['00e000000e620c8201398302a0008c03033000', '9000'],
  ['00440000', '9000'],
  ['00e000000e620c8201398302a0108c03033000', '9000'],
  ['00440000', '9000'],
  ['00e000000e620c8201398302a0118c030330ff', '9000'],
  ['00440000', '9000'],
  ['00e000000e620c8201398302a0128c03032000', '9000'],
  ['00440000', '9000'],
  ['00e000000e620c8201398302a0138c03033030', '9000'],
  ['00440000', '9000'],
  ['00e000000e620c8201398302a0148c03032020', '9000'],
  ['00440000', '9000'],
  ['00e000001c621a8201188302b0808c04870020ffa50ba4098001028301809501c0', '9000'],
  ['00440000', '9000'],
  ['00db3fff267024840180a51f8718' + K + '8803b073dc', '9000'],
  ['00dba00091df1f818d' + MASTER, '9000'],
  ['00dba0100bdf21086d73637000000000', '9000'],
  ['00dba01009df2206000000000000', '9000'],
  ['00dba01003df2300', '9000'],
  ['00dba01213df2010' + S, '9000'],
  ['00a4000c023fff', '9000'],
  ['00440000', '9000'],
]

describe('virtual GIDS card: gids-tool -X personalisation (gids-card-edge.md §8.2)', () => {
  it('personalises a blank card with the exact gids-tool sequence', () => {
    const card = GidsCard.blank()
    expect(card.lifeCycle).toBe('initialisation')
    replay(card, [['00a4040c09a00000039742544659', '9000'], ...INIT])
    expect(card.lifeCycle).toBe('operational')
    expect(card.cardId?.toString('hex')).toBe(S)
    replay(card, [
      ['00cba012045c02df2000', 'df2010' + S + '9000'],
      ['00cba000045c02df1f00', 'df1f818d' + MASTER + '9000'],
      ['00cb3fff045c027f7100', '7f71069701039301039000'],
      // After personalisation gids-tool refuses to initialise again: the master file starts with 01.
      ['0024018006' + P, '6982'],
    ])
  })

  it('personalisationApdus() is byte-identical to the hand-written gids-tool trace', () => {
    const apdus = personalisationApdus({ cardid: hex(S), adminKey: hex(K), pin: hex(P) })
    expect(apdus.map((a) => a.toString('hex'))).toEqual(INIT.slice(1).map(([a]) => a))
  })

  it('accepts the 5-byte T=0 ACTIVATE form (00 44 00 00 00)', () => {
    const card = GidsCard.blank()
    replay(card, [
      ['00e000000e620c8201398302a0008c03033000', '9000'],
      ['0044000000', '9000'],
      ['00dba00003df1f00', '9000'],
    ])
  })

  it('refuses GET/PUT DATA on an EF that is created but not activated (6985)', () => {
    const card = GidsCard.blank()
    replay(card, [
      ['00e000000e620c8201398302a0008c03033000', '9000'],
      ['00dba00003df1f00', '6985'],
      ['00e000000e620c8201398302a0008c03033000', '6a89'], // exists
      ['00e000000962078201398302a015', '6984'], // no 8C
      ['00e001000e620c8201398302a0108c03033000', '6a86'],
    ])
  })

  it('needs the application operational for GENERAL AUTHENTICATE and RESET RETRY COUNTER (6986)', () => {
    const card = GidsCard.blank()
    replay(card, INIT.slice(0, 17))
    replay(card, [
      ['002280a403830180', '6a81'],
      ['0022c1a403830180', '9000'],
      ['00870000047c02810000', '6986'],
      ['002c028006313233343536', '6986'],
    ])
  })

  it('personalised() yields an operational card whose admin key works (mutual auth)', () => {
    const card = GidsCard.personalised({ cardid: hex(S), adminKey: hex(K) })
    expect(card.cardId?.toString('hex')).toBe(S)
    const r1 = seq(0x40, 16)
    replay(card, [['0022c1a403830180', '9000']])
    const r2 = hex(tx(card, '00870000147c128110' + r1.toString('hex') + '00')).subarray(4, 20)
    const block = Buffer.concat([r2, r1, seq(0x20, 7), Buffer.from([0x80])])
    const out = tx(card, '008700002c7c2a8228' + tdesCbcEncrypt(hex(K), block).toString('hex') + '00')
    expect(out.slice(-4)).toBe('9000')
    expect(out.length).toBe((44 + 2) * 2)
  })
})

describe('virtual GIDS card: minidriver read sequence (§4.7)', () => {
  it('replays GidsApplet’s minidriver test on a fresh card', () => {
    const card = GidsCard.personalised({ cardid: hex(S) })
    replay(card, [
      ['00a4040009a0000003080000100000', '6a82'],
      ['00a4000c023fff', '9000'],
      ['00a4040009a0000003974254465900', '61124f0ba00000039742544659020173034001c09000'],
      ['00cb3fff045c027f7300', '6a88'],
      ['00cba000045c02df1f00', 'df1f818d' + MASTER + '9000'],
      ['00cba010045c02df2200', 'df2206000000000000' + '9000'],
      ['00cba010045c02df2300', 'df2300' + '9000'],
      ['00cba010045c02df2100', 'df21086d73637000000000' + '9000'],
      ['00cba012045c02df2000', 'df2010' + S + '9000'],
      ['00cba011045c02df2000', '6982'], // A011: GET DATA never
      ['00cba014045c02df2000', '6982'], // A014: admin only
      ['00cba015045c02df2000', '6a82'], // no such EF
      ['00cbb080045c02df2000', '6981'], // key EF is not BER-TLV
      ['00cba010045c02df2900', '6a88'], // no such DO
      ['00cba0100300df2000', '6984'], // not a 5C tag list
    ])
  })
})

describe('virtual GIDS card: persistent state', () => {
  it('reports every change and restores from a snapshot (power cycle keeps persistent state only)', () => {
    const saved: GidsCardState[] = []
    const card = GidsCard.personalised({ onChange: (s) => saved.push(s) })
    expect(saved).toHaveLength(0)
    expect(swOf(card, '00200080043030303000')).toBe('63c2')
    expect(saved).toHaveLength(1)
    expect(saved[0]!.pin.triesLeft).toBe(2)
    const revived = new GidsCard(JSON.parse(JSON.stringify(saved[0])) as GidsCardState)
    expect(revived.pinTriesLeft).toBe(2)
    expect(revived.cardId?.equals(card.cardId!)).toBe(true)
    expect(swOf(revived, '00cb3fff045c027f7100')).toBe('9000')
    expect(tx(revived, '00cb3fff045c027f7100')).toBe('7f71069701029301039000')
  })

  it('validates state files', () => {
    expect(() => parseState({})).toThrow(RangeError)
    expect(() => parseState({ ...blankState(), adminKey: 'zz' })).toThrow(/adminKey/)
    expect(() => parseState({ ...blankState(), pin: { ...blankState().pin, triesLeft: 9 } })).toThrow(/tries/)
    expect(parseState(JSON.parse(JSON.stringify(blankState()))).lifeCycle).toBe('initialisation')
  })
})
