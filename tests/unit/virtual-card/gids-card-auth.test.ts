import { describe, expect, it } from 'vitest'
import { adminResponse, keyCheckValue, tdesCbcEncrypt } from '../../../electron/services/crypto/des'
import { createMemoryLogger } from '../../../electron/services/log'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { hex, replay, scriptedRandom, seq, swOf, tx } from './helpers'

const MSE = '0022c1a403830180'
const GET_CHALLENGE = '00870000047c02810000'
const respond = (r: string) => '008700000c7c0a8208' + r
const ZERO = Buffer.alloc(24)
const K3 = seq(0, 24) // K1 ≠ K2 ≠ K3 catches key-order bugs (§5.6)

describe('virtual GIDS card: external authentication (gids-card-edge.md §5.4, §5.6 vectors)', () => {
  it.each<[string, Buffer, string, string]>([
    ['zero key (CM example)', ZERO, 'd61143f9ccffd2ca', '17466e766e303cb6'],
    [
      'GIDS default key',
      Buffer.from('0102030405060708'.repeat(3), 'hex'),
      'd61143f9ccffd2ca',
      '2b5108a3889dff6e',
    ],
    ['000102…17', K3, 'd61143f9ccffd2ca', 'b482ab95923eaa93'],
    ['000102…17, other C', K3, '0011223344556677', '97a25ba82b564f4c'],
  ])('%s: C=%s → R=%s authenticates', (_n, key, c, r) => {
    const card = GidsCard.personalised({ adminKey: key, random: scriptedRandom(hex(c)) })
    replay(card, [
      [MSE, '9000'],
      [GET_CHALLENGE, '7c0a8108' + c + '9000'],
      [respond(r), '9000'],
      ['002c028006313233343536', '9000'], // admin-only command now allowed
    ])
  })

  it('accepts the ISO 9797-1 method-2 padded 16-byte response (first block compared, §5.5)', () => {
    const card = GidsCard.personalised({ random: scriptedRandom(hex('d61143f9ccffd2ca')) })
    replay(card, [
      [MSE, '9000'],
      [GET_CHALLENGE, '7c0a8108d61143f9ccffd2ca9000'],
      ['00870000147c12821017466e766e303cb651895185855d6ebd', '9000'],
    ])
  })

  it('wrong response → 6982; challenges are single-use (replay → 6985); a new 81 replaces the old', () => {
    const card = GidsCard.personalised({ adminKey: K3 })
    replay(card, [[MSE, '9000']])
    const c1 = hex(tx(card, GET_CHALLENGE)).subarray(4, 12)
    const r1 = adminResponse(K3, c1).toString('hex')
    expect(swOf(card, respond('0000000000000000'))).toBe('6982')
    expect(swOf(card, respond(r1))).toBe('6985') // challenge consumed by the failure
    expect(swOf(card, '002c028006313233343536')).toBe('6982')
    const c2 = hex(tx(card, GET_CHALLENGE)).subarray(4, 12)
    const c3 = hex(tx(card, GET_CHALLENGE)).subarray(4, 12)
    expect(c2.equals(c3)).toBe(false)
    expect(swOf(card, respond(adminResponse(K3, c2).toString('hex')))).toBe('6982') // c2 was replaced by c3
    const c4 = hex(tx(card, GET_CHALLENGE)).subarray(4, 12)
    const r4 = adminResponse(K3, c4).toString('hex')
    expect(swOf(card, respond(r4))).toBe('9000')
    expect(swOf(card, respond(r4))).toBe('6985') // replay
  })

  it('needs MSE first, well-formed data and P1P2=0000', () => {
    const card = GidsCard.personalised()
    replay(card, [
      [GET_CHALLENGE, '6985'], // no MSE (§5.5 [inference])
      ['002281a403830180', '9000'], // GidsApplet's P1=81 variant
      ['00870100047c02810000', '6a86'],
      ['00870000047d02810000', '6984'],
      ['00870000047c02830000', '6984'],
      ['00870000057c038101aa00', '6984'], // 81 of length 1
      ['002281a403830181', '6984'], // unknown key reference
    ])
  })

  it('keeps no failure counter by default; the optional counter blocks (6983) and resets on success', () => {
    const plain = GidsCard.personalised()
    plain.process(hex(MSE))
    for (let i = 0; i < 20; i++) {
      plain.process(hex(GET_CHALLENGE))
      expect(swOf(plain, respond('0000000000000000'))).toBe('6982')
    }
    const counted = GidsCard.personalised({ adminTryLimit: 2 })
    counted.process(hex(MSE))
    const fail = () => {
      counted.process(hex(GET_CHALLENGE))
      return swOf(counted, respond('0000000000000000'))
    }
    expect(fail()).toBe('6982')
    const c = hex(tx(counted, GET_CHALLENGE)).subarray(4, 12)
    expect(swOf(counted, respond(adminResponse(ZERO, c).toString('hex')))).toBe('9000')
    expect(counted.snapshot().admin.triesLeft).toBe(2)
    expect([fail(), fail()]).toEqual(['6982', '6982'])
    expect(swOf(counted, GET_CHALLENGE)).toBe('6983')
  })
})

describe('virtual GIDS card: mutual authentication (§5.3, §5.6 vectors)', () => {
  const R1 = seq(0x00, 16)
  const R2 = seq(0x10, 16)
  const Z2 = seq(0x30, 7)
  const HOST = '65abd6ae1ad5852047200ccebf7a3963e683a3db10d30f5ca3afb9751b258792e565ea755493d1ae'
  const CARD = '58ed248f77f6b19eac45bbf80595c5c0067664a7f6262d60edb2c9b043c9ecce19f1b9be3ff3ab3d'

  it('reproduces the reference vectors byte for byte (gids-tool -U / -C step 2-3)', () => {
    const card = GidsCard.personalised({ adminKey: K3, random: scriptedRandom(R2, Z2) })
    replay(card, [
      [MSE, '9000'],
      ['00870000147c128110' + R1.toString('hex') + '00', '7c128110' + R2.toString('hex') + '9000'],
      ['008700002c7c2a8228' + HOST + '00', '7c2a8228' + CARD + '9000'],
      ['002c028006313233343536', '9000'],
    ])
  })

  it('rejects a wrong cryptogram or padding byte with 6982 and a second 82 with 6985', () => {
    const card = GidsCard.personalised({ adminKey: K3, random: scriptedRandom(R2) })
    replay(card, [
      [MSE, '9000'],
      ['00870000147c128110' + R1.toString('hex') + '00', '7c128110' + R2.toString('hex') + '9000'],
    ])
    const badPad = Buffer.concat([R2, R1, seq(0x20, 7), Buffer.from([0x81])])
    const bad = tdesCbcEncrypt(K3, badPad).toString('hex')
    expect(swOf(card, '008700002c7c2a8228' + bad + '00')).toBe('6982')
    expect(swOf(card, '008700002c7c2a8228' + HOST + '00')).toBe('6985')
    expect(swOf(card, '002c028006313233343536')).toBe('6982')
  })
})

describe('virtual GIDS card: PUT KEY (§6, gids-tool -C §8.4)', () => {
  const NEW = seq(0x40, 24)

  function authExternal(card: GidsCard, key: Buffer): string {
    card.process(hex(MSE))
    const c = hex(tx(card, GET_CHALLENGE)).subarray(4, 12)
    return swOf(card, respond(adminResponse(key, c).toString('hex')))
  }

  it('needs admin; accepts OpenSC’s fixed KCV with a logged mismatch; old key stops working', () => {
    const log = createMemoryLogger()
    const card = GidsCard.personalised({ adminKey: K3, logger: log })
    const putKey = '00db3fff267024840180a51f8718' + NEW.toString('hex') + '8803b073dc'
    expect(swOf(card, putKey)).toBe('6982')
    expect(authExternal(card, K3)).toBe('9000')
    expect(swOf(card, putKey)).toBe('9000')
    expect(log.lines.join('\n')).toMatch(/check value does not match/)
    expect(log.lines.join('\n')).not.toContain(NEW.toString('hex'))
    replay(card, [['00200082', '9000']])
    expect(authExternal(card, K3)).toBe('6982')
    expect(authExternal(card, NEW)).toBe('9000')
  })

  it('accepts the correct KCV silently and keeps admin authenticated after the change (GidsApplet)', () => {
    const log = createMemoryLogger()
    const card = GidsCard.personalised({ logger: log })
    expect(authExternal(card, ZERO)).toBe('9000')
    const kcv = keyCheckValue(NEW).toString('hex')
    expect(swOf(card, '00db3fff267024840180a51f8718' + NEW.toString('hex') + '8803' + kcv)).toBe('9000')
    expect(log.lines.join('\n')).not.toMatch(/check value/)
    expect(swOf(card, '002c028006313233343536')).toBe('9000')
  })

  it('rejects malformed templates, other key references and short keys', () => {
    const card = GidsCard.personalised()
    expect(authExternal(card, ZERO)).toBe('9000')
    replay(card, [
      ['00db3fff067104840180a500', '6984'], // not 70
      ['00db3fff1f701d840181a518' + '8716' + '00'.repeat(22), '6a88'], // RSA import into key 81: no key file B081
      ['00db3fff1f701d840179a518' + '8716' + '00'.repeat(22), '6a88'], // neither the admin key nor a user key
      ['00db3fff1f701d840180a518' + '8716' + '00'.repeat(22), '6984'], // 22-byte key
    ])
  })
})
