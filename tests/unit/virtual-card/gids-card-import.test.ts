import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  verify,
} from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildApdu, buildChainedApdus } from '../../../electron/services/card/apdu'
import { createKeyFile } from '../../../electron/services/card/gids-key-commands'
import { encodeTlv, findTlv } from '../../../electron/services/card/tlv'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { hex, replay, swOf, tx } from './helpers'

/**
 * Virtual card additions for OpenSC parity (gids-card-edge.md §6, §9.2): RSA key import with PUT DATA
 * 3FFF as OpenSC's gids_import_key sends it, DELETE FILE of a key file, usage templates on MSE.
 */

const VERIFY = '00200080083132333435363738'

/** Send a (possibly chained) command and return the final SW. */
function send(card: GidsCard, fields: Parameters<typeof buildChainedApdus>[0]): string {
  let last = ''
  for (const apdu of buildChainedApdus(fields)) last = card.process(apdu).toString('hex').slice(-4)
  return last
}

function keyFile(card: GidsCard, kid: number, alg: number, usage: 'key-exchange' | 'signature'): void {
  expect(send(card, createKeyFile(kid, alg, usage))).toBe('9000')
  expect(swOf(card, '00440000')).toBe('9000')
}

/**
 * RSAPrivateKey as OpenSC 0.23 encodes it: every field an INTEGER holding the raw magnitude, WITHOUT
 * the 00 sign byte (asn1_rsa_priv_coefficients_gids: OCTET STRING with the INTEGER tag).
 */
function openscStyleRsaKey(bits: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  const jwk = privateKey.export({ format: 'jwk' })
  const field = (b64?: string) => encodeTlv(0x02, Buffer.from(b64!, 'base64url'))
  const fields = [
    encodeTlv(0x02, Buffer.from([0])),
    ...['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].map((k) => field(jwk[k as keyof typeof jwk] as string)),
  ]
  return { der: encodeTlv(0x30, Buffer.concat(fields)), publicKey, jwk }
}

function importApdu(kid: number, der: Buffer, type = 0x02) {
  const a5 = Buffer.concat([Buffer.from([0x83, 0x01, type, 0x84, 0x01, 0x00]), encodeTlv(0x87, der)])
  const data = encodeTlv(0x70, Buffer.concat([Buffer.from([0x84, 0x01, kid]), encodeTlv(0xa5, a5)]))
  return { ins: 0xdb, p1: 0x3f, p2: 0xff, data }
}

describe('virtual GIDS card: key import (PUT DATA 3FFF 70 … A5 83 02 87 RSAPrivateKey)', () => {
  it("takes OpenSC's unsigned-integer encoding; the public key and a signature match the imported key", () => {
    const card = GidsCard.personalised()
    const { der, publicKey } = openscStyleRsaKey(2048)
    expect(der.subarray(7, 12).toString('hex')).toMatch(/^02820100[89a-f]/) // n: 256 bytes, "negative" in strict DER
    replay(card, [[VERIFY, '9000']])
    keyFile(card, 0x81, 0x07, 'key-exchange')
    expect(send(card, importApdu(0x81, der))).toBe('9000')
    const r1 = hex(tx(card, '00cb3fff0a7008840181a5037f498000'))
    const r2 = hex(tx(card, '00c000000e'))
    const template = Buffer.concat([r1.subarray(0, -2), r2.subarray(0, -2)])
    const n = findTlv(findTlv(template, 0x7f49)!, 0x81)!
    expect(n.toString('base64url')).toBe(publicKey.export({ format: 'jwk' }).n)
    const msg = Buffer.from('imported')
    const info = Buffer.concat([
      hex('3031300d060960864801650304020105000420'),
      createHash('sha256').update(msg).digest(),
    ])
    replay(card, [['002241b606800157840181', '9000']])
    const sig = card.process(buildApdu({ ins: 0x2a, p1: 0x9e, p2: 0x9a, data: info, le: 256 }))
    expect(sig.subarray(-2).toString('hex')).toBe('9000')
    expect(verify('sha256', msg, publicKey, sig.subarray(0, -2))).toBe(true)
  })

  it('needs the user PIN (key file PUT KEY rule 10), an activated key file, RSA type 02 and a consistent key', () => {
    const card = GidsCard.personalised()
    const { der } = openscStyleRsaKey(1024)
    replay(card, [[VERIFY, '9000']])
    expect(send(card, importApdu(0x81, der))).toBe('6a88') // no key file B081
    expect(send(card, createKeyFile(0x81, 0x06, 'key-exchange'))).toBe('9000')
    expect(send(card, importApdu(0x81, der))).toBe('6985') // not activated
    expect(swOf(card, '00440000')).toBe('9000')
    expect(send(card, importApdu(0x81, der, 0x01))).toBe('6a81') // symmetric into a user key
    // Fields of two different keys: p*q = n no longer holds.
    const { der: other } = openscStyleRsaKey(1024)
    const mixed = Buffer.concat([der.subarray(0, 140), other.subarray(140)])
    expect(send(card, importApdu(0x81, mixed))).toBe('6984')
    replay(card, [['00200082', '9000']])
    expect(send(card, importApdu(0x81, der))).toBe('6982')
    replay(card, [[VERIFY, '9000']])
    expect(send(card, importApdu(0x81, der))).toBe('9000')
    expect(card.snapshot().files['b081']!.key!.alg).toBe(0x06)
  })
})

describe('virtual GIDS card: DELETE FILE and usage templates', () => {
  it('deletes the current EF (OpenSC: SELECT 00 0C B0xx, then 00 E4 00 00) with the user PIN', () => {
    const card = GidsCard.personalised()
    replay(card, [[VERIFY, '9000']])
    keyFile(card, 0x81, 0x06, 'signature')
    replay(card, [
      ['0047000008ac06800106830181', '9000'],
      ['00200082', '9000'],
      ['00a4000c02b081', '9000'],
      ['00e40000', '6982'], // deleting a child EF needs the user PIN or admin (DF ACL 30)
      [VERIFY, '9000'],
      ['00a4000c02b081', '9000'],
      ['00e40000', '9000'],
      ['00a4000c02b081', '6a82'],
      ['00cb3fff0a7008840181a5037f498000', '6a88'],
      ['00e4000002b080', '6982'], // the admin key file stays
      ['00e4000002a099', '6a82'],
      ['00e4010000', '6a86'],
    ])
    expect(card.snapshot().files['b081']).toBeUndefined()
  })

  it('a signature-only key file allows sign (1x, 5x) but refuses decipher; a key-exchange file allows both', () => {
    const card = GidsCard.personalised()
    replay(card, [[VERIFY, '9000']])
    keyFile(card, 0x81, 0x06, 'signature')
    keyFile(card, 0x82, 0x06, 'key-exchange')
    replay(card, [
      ['0047000008ac06800106830181', '9000'],
      ['0047000008ac06800106830182', '9000'],
      ['002241b606800156840181', '9000'],
      ['002241b606800116840181', '9000'],
      ['002241b806800146840181', '6984'],
      ['002241b806800186840181', '6984'],
      ['002241b806800146840182', '9000'],
      ['002241b806800186840182', '9000'],
    ])
    // And the decipher environment on the key-exchange key works.
    const pub = publicEncrypt(
      { key: createPublicKey(tpl(card, 0x82)), padding: constants.RSA_PKCS1_PADDING },
      Buffer.from('k'),
    )
    replay(card, [['002241b806800146840182', '9000']])
    expect(
      card.process(buildApdu({ ins: 0x2a, p1: 0x80, p2: 0x86, data: pub, le: 256 })).toString('hex'),
    ).toBe('6b9000')
  })
})

/** The public key of `kid` as a node JWK input. */
function tpl(card: GidsCard, kid: number) {
  const r = hex(tx(card, `00cb3fff0a70088401${kid.toString(16)}a5037f498000`)).subarray(0, -2)
  const inner = findTlv(r, 0x7f49)!
  return {
    key: {
      kty: 'RSA',
      n: findTlv(inner, 0x81)!.toString('base64url'),
      e: findTlv(inner, 0x82)!.toString('base64url'),
    },
    format: 'jwk' as const,
  }
}
