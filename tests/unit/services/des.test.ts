import { describe, expect, it } from 'vitest'
import {
  adminResponse,
  keyCheckValue,
  oddParity,
  tdesCbcEncrypt,
  tdesEcbEncrypt,
  zeroize,
} from '../../../electron/services/crypto/des'

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex')
const seq = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => from + i))

describe('3DES primitives (vectors from cm-rest-api.md §5.2 and gids-card-edge.md §5.6)', () => {
  it('reproduces the documented CM authentication response under the all-zero key', () => {
    const challenge = Buffer.from('1hFD+cz/0so=', 'base64')
    expect(challenge.toString('hex')).toBe('d61143f9ccffd2ca')
    expect(adminResponse(Buffer.alloc(24), challenge).toString('base64')).toBe('F0Zudm4wPLY=')
  })

  it.each([
    ['010203040506070801020304050607080102030405060708', 'd61143f9ccffd2ca', '2b5108a3889dff6e'],
    ['981540f87a2907f81cfba16e2ac42ac7e397d3584ad56408', 'd61143f9ccffd2ca', 'c5d52855e708120d'],
    ['0ed9549eb5389efb9ddc23da320b5d161076f2c201cdae7f', 'd61143f9ccffd2ca', 'c6fc879fb7bffd7d'],
    [seq(0, 24).toString('hex'), 'd61143f9ccffd2ca', 'b482ab95923eaa93'],
    [seq(0, 24).toString('hex'), '0011223344556677', '97a25ba82b564f4c'],
  ])('key %s, challenge %s → %s', (key, challenge, response) => {
    expect(adminResponse(hex(key), hex(challenge)).toString('hex')).toBe(response)
  })

  it('encrypts the mutual-authentication host block with CBC and a zero IV', () => {
    const block = Buffer.concat([seq(0x10, 16), seq(0x00, 16), seq(0x20, 7), Buffer.from([0x80])])
    expect(tdesCbcEncrypt(seq(0, 24), block).toString('hex')).toBe(
      '65abd6ae1ad5852047200ccebf7a3963e683a3db10d30f5ca3afb9751b258792e565ea755493d1ae',
    )
  })

  it('computes key check values', () => {
    expect(keyCheckValue(Buffer.alloc(24)).toString('hex')).toBe('8ca64d')
    expect(keyCheckValue(hex('0102030405060708'.repeat(3))).toString('hex')).toBe('b073dc')
    expect(keyCheckValue(seq(0, 24)).toString('hex')).toBe('894bc3')
  })

  it('rejects wrong sizes instead of padding', () => {
    expect(() => adminResponse(Buffer.alloc(16), Buffer.alloc(8))).toThrow(RangeError)
    expect(() => adminResponse(Buffer.alloc(24), Buffer.alloc(7))).toThrow(RangeError)
    expect(() => tdesEcbEncrypt(Buffer.alloc(24), Buffer.alloc(9))).toThrow(RangeError)
  })

  it('sets odd parity on every byte and keeps already-odd keys', () => {
    const doc = Buffer.from('mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI', 'base64')
    expect(oddParity(doc).equals(doc)).toBe(true)
    for (const b of oddParity(Buffer.from([0x00, 0xff, 0x12, 0x80]))) {
      expect(
        b
          .toString(2)
          .split('')
          .filter((c) => c === '1').length % 2,
      ).toBe(1)
    }
  })

  it('zeroizes buffers', () => {
    const a = Buffer.from('secret')
    zeroize(a, null, undefined)
    expect([...a].every((b) => b === 0)).toBe(true)
  })
})
