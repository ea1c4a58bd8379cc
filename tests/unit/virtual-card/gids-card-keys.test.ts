import { constants, createHash, createPublicKey, publicEncrypt, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildApdu, buildChainedApdus } from '../../../electron/services/card/apdu'
import { decodeTlv, findTlv } from '../../../electron/services/card/tlv'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { hex, replay, swOf, tx } from './helpers'

const VERIFY = '00200080083132333435363738'

/** Key EF FCP of §9.2 for key `kid` and algorithm `alg` (decipher + sign templates). */
function keyFileFcp(kid: number, alg: number): string {
  const t = (tag: number, a: number) => [tag, 0x09, 0x80, 0x01, a, 0x83, 0x01, kid, 0x95, 0x01, 0x40]
  const a5 = [
    ...t(0xb8, alg),
    ...t(0xb8, 0x80 | alg),
    ...t(0xb8, 0x40 | alg),
    ...t(0xb6, 0x10 | alg),
    ...t(0xb6, 0x50 | alg),
  ]
  const body = [
    0x82,
    0x01,
    0x18,
    0x83,
    0x02,
    0xb0,
    kid,
    0x8c,
    0x05,
    0x8f,
    0x10,
    0x10,
    0x10,
    0x00,
    0xa5,
    a5.length,
    ...a5,
  ]
  return Buffer.from([0x62, body.length, ...body]).toString('hex')
}

/** Read a whole answer, following 61xx with GET RESPONSE. */
function readAll(card: GidsCard, apdu: string): Buffer {
  let r = hex(tx(card, apdu))
  let data = r.subarray(0, -2)
  for (let sw = r.readUInt16BE(r.length - 2); sw >> 8 === 0x61; sw = r.readUInt16BE(r.length - 2)) {
    r = card.process(buildApdu({ ins: 0xc0, p1: 0, p2: 0, le: sw & 0xff || 256 }))
    data = Buffer.concat([data, r.subarray(0, -2)])
  }
  expect(r.subarray(-2).toString('hex')).toBe('9000')
  return data
}

function publicKeyFrom(template: Buffer): KeyObject {
  const t = decodeTlv(template)
  expect(t.tag).toBe(0x7f49)
  const n = findTlv(t.value, 0x81)!
  const e = findTlv(t.value, 0x82)!
  return createPublicKey({
    key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
    format: 'jwk',
  })
}

function cardWithKey(alg: number): GidsCard {
  const card = GidsCard.personalised()
  const fcp = keyFileFcp(0x81, alg)
  replay(card, [
    [VERIFY, '9000'],
    ['00e00000' + (fcp.length / 2).toString(16) + fcp, '9000'],
    ['00440000', '9000'],
    ['0047000008ac068001' + alg.toString(16).padStart(2, '0') + '830181', '9000'],
  ])
  return card
}

const READ_PUB = '00cb3fff0a7008840181a5037f498000'

describe('virtual GIDS card: user keys (gids-card-edge.md §9)', () => {
  it('builds the 73-byte key-file FCP of §9.2', () => {
    expect(keyFileFcp(0x81, 0x07).slice(0, 4)).toBe('6247')
  })

  it('GENERATE needs the user PIN; without Le only 9000; the RSA-2048 public key needs GET RESPONSE', () => {
    const card = GidsCard.personalised()
    const fcp = keyFileFcp(0x81, 0x07)
    replay(card, [
      ['00e0000049' + fcp, '6982'], // CREATE FILE after activation: user PIN or admin
      [VERIFY, '9000'],
      ['00e0000049' + fcp, '9000'],
      ['0047000008ac06800107830181', '6985'], // not activated yet
      ['00440000', '9000'],
      ['00200082', '9000'],
      ['0047000008ac06800107830181', '6982'],
      [VERIFY, '9000'],
      ['0047000008ac06000107830181', '6984'], // no 80 (algorithm),
      ['0047000008ac0680010a830181', '6a81'], // ECC P-192: not supported,
      ['0047000008ac06800107830182', '6984'], // no key EF B082
      ['0047000008ac06800107830181', '9000'],
      [READ_PUB, '610e'], // 256 of 270 bytes,
    ])
    const first = hex(tx(card, READ_PUB))
    expect(first.length).toBe(258)
    expect(first.subarray(0, 5).toString('hex')).toBe('7f49820109')
    const template = readAll(card, READ_PUB)
    expect(template.length).toBe(270)
    expect(template.subarray(-5).toString('hex')).toBe('8203010001')
    expect(publicKeyFrom(template).asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(swOf(card, '00cb3fff0a7008840183a5037f498000')).toBe('6a88')
    // With Le, GENERATE answers the new public key itself (§9.3 [inference]), here in two parts.
    const regenerated = readAll(card, '0047000008ac0680010783018100')
    expect(regenerated.subarray(0, 5).toString('hex')).toBe('7f49820109')
    expect(regenerated.equals(template)).toBe(false)
    expect(readAll(card, READ_PUB).equals(regenerated)).toBe(true)
  })

  it('signs a DigestInfo with PKCS#1 v1.5 (MSE 41 B6 alg 5x) and a host-padded block (1x)', () => {
    const card = cardWithKey(0x06)
    const pub = publicKeyFrom(readAll(card, READ_PUB))
    const msg = Buffer.from('certificate request')
    const digestInfo = Buffer.concat([
      hex('3031300d060960864801650304020105000420'),
      createHash('sha256').update(msg).digest(),
    ])
    replay(card, [['002241b606800156840181', '9000']])
    const sig = readAll(card, '002a9e9a' + digestInfo.length.toString(16) + digestInfo.toString('hex') + '00')
    expect(verify('sha256', msg, { key: pub, padding: constants.RSA_PKCS1_PADDING }, sig)).toBe(true)
    const block = Buffer.concat([
      hex('0001'),
      Buffer.alloc(128 - 3 - digestInfo.length, 0xff),
      hex('00'),
      digestInfo,
    ])
    replay(card, [['002241b606800116840181', '9000']])
    const sig2 = readAll(card, '002a9e9a80' + block.toString('hex') + '00')
    expect(sig2.equals(sig)).toBe(true)
    card.reset()
    replay(card, [
      ['002a9e9a' + digestInfo.length.toString(16) + digestInfo.toString('hex') + '00', '6985'], // MSE gone
      ['002241b606800156840181', '9000'],
      ['002a9e9a' + digestInfo.length.toString(16) + digestInfo.toString('hex') + '00', '6982'], // PIN gone
      ['002241b606800157840181', '6984'], // wrong algorithm for this key
    ])
  })

  it('deciphers a chained 256-byte cryptogram (PKCS#1 v1.5 and OAEP)', () => {
    const card = cardWithKey(0x07)
    const pub = publicKeyFrom(readAll(card, READ_PUB))
    const secret = Buffer.from('session key 0123456789abcdef')
    for (const [alg, padding] of [
      [0x47, constants.RSA_PKCS1_PADDING],
      [0x87, constants.RSA_PKCS1_OAEP_PADDING],
    ] as const) {
      replay(card, [[`002241b8068001${alg.toString(16)}840181`, '9000']])
      const cryptogram = publicEncrypt({ key: pub, padding }, secret)
      const apdus = buildChainedApdus({ ins: 0x2a, p1: 0x80, p2: 0x86, data: cryptogram, le: 256 })
      expect(apdus).toHaveLength(2)
      expect(tx(card, apdus[0]!)).toBe('9000')
      expect(tx(card, apdus[1]!)).toBe(secret.toString('hex') + '9000')
    }
  })

  it('keeps generated keys in the persistent state', () => {
    const card = cardWithKey(0x06)
    const revived = new GidsCard(JSON.parse(JSON.stringify(card.snapshot())))
    expect(readAll(revived, READ_PUB).equals(readAll(card, READ_PUB))).toBe(true)
  })
})
