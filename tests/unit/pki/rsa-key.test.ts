import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { rsaPublicKeyInfo } from '../../../electron/services/pki/rsa-key'

/** The card's modulus/exponent (gids-card-edge.md §9.3) → the SubjectPublicKeyInfo a CSR carries. */

describe('rsaPublicKeyInfo', () => {
  it.each([1024, 2048])('RSA %i: the same DER as node:crypto exports', (bits) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
    const jwk = publicKey.export({ format: 'jwk' })
    const n = Buffer.from(jwk.n!, 'base64url')
    const e = Buffer.from(jwk.e!, 'base64url')
    const expected = publicKey.export({ format: 'der', type: 'spki' })
    expect(rsaPublicKeyInfo(n, e).equals(expected)).toBe(true)
    // A card may send leading zero bytes; they do not change the key.
    expect(
      rsaPublicKeyInfo(Buffer.concat([Buffer.alloc(2), n]), Buffer.concat([Buffer.alloc(1), e])).equals(
        expected,
      ),
    ).toBe(true)
  })

  it('refuses empty values', () => {
    expect(() => rsaPublicKeyInfo(Buffer.alloc(0), Buffer.from([1, 0, 1]))).toThrow(RangeError)
  })
})
