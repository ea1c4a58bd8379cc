import { constants, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  DIGEST_ALGORITHMS,
  digest,
  digestAlgorithmOf,
  digestInfo,
  nodeHashName,
} from '../../../electron/services/pki/digest-info'

/** The DigestInfo a GIDS card signs (gids-card-edge.md §9.5): PKCS#1 type-1 padding over it = a standard signature. */

describe('digestInfo', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })

  it.each(DIGEST_ALGORITHMS)(
    '%s: raw RSA over the padded DigestInfo equals the PKCS#1 v1.5 signature',
    (alg) => {
      const data = Buffer.from('CertificationRequestInfo')
      const onCard = privateEncrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        digestInfo(alg, digest(alg, data)),
      )
      expect(onCard.equals(sign(nodeHashName(alg), data, privateKey))).toBe(true)
    },
  )

  it('refuses a hash of the wrong length; reads the CM spellings', () => {
    expect(() => digestInfo('SHA256', Buffer.alloc(20))).toThrow(RangeError)
    expect(digestAlgorithmOf('sha-256')).toBe('SHA256')
    expect(digestAlgorithmOf(' SHA1 ')).toBe('SHA1')
    expect(digestAlgorithmOf('MD5')).toBeNull()
  })
})
