import { describe, expect, it } from 'vitest'
import { adminResponse } from '../../../electron/services/crypto/des'
import { createMemoryLogger } from '../../../electron/services/log'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { hex, replay, swOf, tx } from './helpers'

const PIN = Buffer.from('12345678').toString('hex') // the default PIN
const WRONG = Buffer.from('00000000').toString('hex')
const verify = (pinHex: string) => '00200080' + (pinHex.length / 2).toString(16).padStart(2, '0') + pinHex
const TRIES = '00cb3fff045c027f7100'
const tries = (left: number, limit = 3) =>
  `7f71069701${left.toString(16).padStart(2, '0')}9301${limit.toString(16).padStart(2, '0')}9000`

function adminAuth(card: GidsCard, key = Buffer.alloc(24)): void {
  card.process(hex('0022c1a403830180'))
  const c = hex(tx(card, '00870000047c02810000')).subarray(4, 12)
  expect(swOf(card, '008700000c7c0a8208' + adminResponse(key, c).toString('hex'))).toBe('9000')
}

describe('virtual GIDS card: user PIN (gids-card-edge.md §7)', () => {
  it('counts failures 63C2, 63C1, 63C0, then 6983; 7F71 follows; the correct PIN is refused once blocked', () => {
    const card = GidsCard.personalised()
    replay(card, [
      [TRIES, tries(3)],
      [verify(WRONG), '63c2'],
      [TRIES, tries(2)],
      [verify(WRONG), '63c1'],
      [verify(WRONG), '63c0'],
      [TRIES, tries(0)],
      [verify(WRONG), '6983'],
      [verify(PIN), '6983'],
      ['00200080', '6983'],
      ['0024008010' + PIN + PIN, '6983'],
      ['00cb3fff045c027f7300', '6a88'], // no PUK (§7.3)
    ])
  })

  it('a correct VERIFY resets the counter; VERIFY without data follows ISO; 82 logs out', () => {
    const card = GidsCard.personalised()
    replay(card, [
      ['00200080', '63c3'],
      [verify(WRONG), '63c2'],
      [verify(PIN), '9000'],
      [TRIES, tries(3)],
      ['00200080', '9000'],
      ['00200082', '9000'],
      ['00200080', '63c3'],
      [verify(PIN), '9000'],
      [verify(WRONG), '63c2'], // a wrong VERIFY also drops the verified state
      ['00200080', '63c2'],
    ])
  })

  it('length outside 4–16 → 63Cx without decrementing; unknown reference 6A88; P1≠00 6A86', () => {
    const card = GidsCard.personalised()
    replay(card, [
      [verify('313233'), '63c3'],
      [verify('31'.repeat(17)), '63c3'],
      [TRIES, tries(3)],
      ['0020008108' + PIN, '6a88'],
      ['0020018008' + PIN, '6a86'],
    ])
  })

  it('a 127-character PIN works when the card mimics a TPM VSC (pinMaxLength 127)', () => {
    const long = Buffer.alloc(127, 0x41)
    const card = GidsCard.personalised({ pin: long.toString(), pinMaxLength: 127 })
    expect(swOf(card, '002000807f' + long.toString('hex'))).toBe('9000')
  })

  it('CHANGE REFERENCE DATA: change with old‖new, set needs the PIN verified, bad new length → 6700', () => {
    const card = GidsCard.personalised()
    const NEW = Buffer.from('4321').toString('hex')
    replay(card, [
      ['002400800c' + PIN + NEW, '9000'],
      [verify(PIN), '63c2'],
      [verify(NEW), '9000'],
      ['0024008007' + NEW + '313233', '6700'],
      ['0024008006' + WRONG.slice(0, 8) + '3131', '63c2'], // wrong old PIN; drops the verified state
      [verify(NEW), '9000'],
      ['0024018004' + PIN.slice(0, 8), '9000'], // set: PIN verified
      ['00200082', '9000'],
      ['0024018004' + NEW, '6982'], // set: not verified
      ['0024028004' + NEW, '6a86'],
      ['0024008104' + NEW, '6a88'],
    ])
  })

  it('RESET RETRY COUNTER needs admin, unblocks, and drops the admin and PIN state (§7.5)', () => {
    const card = GidsCard.personalised()
    for (let i = 0; i < 3; i++) card.process(hex(verify(WRONG)))
    const NEWPIN = Buffer.from('24681357').toString('hex')
    replay(card, [
      [TRIES, tries(0)],
      ['002c028008' + NEWPIN, '6982'],
    ])
    adminAuth(card)
    replay(card, [
      ['002c008008' + NEWPIN, '6a86'],
      ['002c028108' + NEWPIN, '6a88'],
      ['002c028003313233', '6700'],
      ['002c028008' + NEWPIN, '9000'],
      ['002c028008' + NEWPIN, '6982'], // admin deauthenticated after unblock
      [TRIES, tries(3)],
      [verify(PIN), '63c2'],
      [verify(NEWPIN), '9000'],
    ])
  })

  it('never logs the PIN', () => {
    const log = createMemoryLogger()
    const card = GidsCard.personalised({ logger: log })
    card.process(hex(verify(PIN)))
    card.process(hex(verify(WRONG)))
    const text = log.lines.join('\n')
    expect(log.lines.length).toBeGreaterThan(0)
    expect(text).not.toContain(PIN)
    expect(text).not.toContain('12345678')
  })
})

describe('virtual GIDS card: volatile state (§10.2)', () => {
  const rrc = '002c028008' + Buffer.from('24681357').toString('hex')

  it.each<[string, (c: GidsCard) => void]>([
    ['re-SELECT of the application', (c) => c.process(hex('00a4040c09a00000039742544659'))],
    ['power-on', (c) => c.powerOn()],
    ['warm reset', (c) => c.reset()],
    ['power-off', (c) => c.powerOff()],
    ['VERIFY 82', (c) => c.process(hex('00200082'))],
  ])('%s clears admin authentication and PIN verification', (_n, clear) => {
    const card = GidsCard.personalised()
    adminAuth(card)
    card.process(hex(verify(PIN)))
    expect(swOf(card, '00200080')).toBe('9000')
    clear(card)
    expect(swOf(card, '00200080')).toBe('63c3')
    expect(swOf(card, rrc)).toBe('6982')
  })

  it('SELECT 3FFF does not clear authentication (no re-selection of the applet)', () => {
    const card = GidsCard.personalised()
    adminAuth(card)
    expect(swOf(card, '00a4000c023fff')).toBe('9000')
    expect(swOf(card, rrc)).toBe('9000')
  })

  it('reset drops a pending challenge and the MSE', () => {
    const card = GidsCard.personalised()
    card.process(hex('0022c1a403830180'))
    const c = hex(tx(card, '00870000047c02810000')).subarray(4, 12)
    card.reset()
    expect(swOf(card, '008700000c7c0a8208' + adminResponse(Buffer.alloc(24), c).toString('hex'))).toBe('6985')
    expect(swOf(card, '00870000047c02810000')).toBe('6985') // MSE gone
  })

  it('reset drops a pending GET RESPONSE and a half-sent chain', () => {
    const card = GidsCard.personalised()
    expect(tx(card, '00cba000045c02df1f10').slice(-4)).toBe('6181')
    card.reset()
    expect(swOf(card, '00c0000081')).toBe('6985')
  })

  it('ACLs: A012 (cardid) needs admin; A010 accepts the user PIN (§4.3)', () => {
    const card = GidsCard.personalised()
    const putCardid = '00dba01213df2010' + '11'.repeat(16)
    replay(card, [
      [putCardid, '6982'],
      ['00dba01003df2300', '6982'],
      [verify(PIN), '9000'],
      [putCardid, '6982'],
      ['00dba01003df2300', '9000'], // empty over the fresh card's empty cmapfile deletes it (§4.1)
      ['00cba010045c02df2300', '6a88'],
      ['00dba01003df2300', '9000'],
      ['00cba010045c02df2300', 'df23009000'],
    ])
    adminAuth(card)
    expect(swOf(card, putCardid)).toBe('9000')
    expect(card.cardId?.toString('hex')).toBe('11'.repeat(16))
  })
})
