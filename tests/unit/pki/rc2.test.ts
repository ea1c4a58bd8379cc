import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { rc2CbcDecrypt, rc2DecryptBlocks } from '../../../electron/services/pki/rc2'
import { OPENSSL_LEGACY_MISSING, opensslBinary } from './openssl'

/** RC2 (RFC 2268) decryption, used only for the certificate bags of legacy PKCS#12 files. */

describe('RC2', () => {
  // RFC 2268 §5: key, effective key bits, plaintext, ciphertext.
  it.each([
    ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
    ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
    ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
    ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
    ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
    ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
    [
      '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
      129,
      '0000000000000000',
      '5b78d3a43dfff1f1',
    ],
  ])('RFC 2268 vector key %s / %i bits', (key, bits, plain, cipher) => {
    expect(rc2DecryptBlocks(Buffer.from(key, 'hex'), bits, Buffer.from(cipher, 'hex')).toString('hex')).toBe(
      plain,
    )
  })

  it.skipIf(OPENSSL_LEGACY_MISSING)(
    'CBC with padding agrees with OpenSSL (rc2-40-cbc and rc2-cbc, random keys)',
    () => {
      for (const [cipher, keyLength, bits] of [
        ['rc2-40-cbc', 5, 40],
        ['rc2-cbc', 16, 128],
      ] as const) {
        for (let n = 0; n < 4; n++) {
          const key = randomBytes(keyLength)
          const iv = randomBytes(8)
          const plain = randomBytes(1 + n * 13)
          const encrypted = opensslBinary(
            [
              'enc',
              `-${cipher}`,
              '-provider',
              'legacy',
              '-provider',
              'default',
              '-K',
              key.toString('hex'),
              '-iv',
              iv.toString('hex'),
            ],
            plain,
          )
          expect(rc2CbcDecrypt(key, bits, iv, encrypted).equals(plain)).toBe(true)
        }
      }
    },
  )

  it('a wrong key fails on the padding', () => {
    expect(() => rc2CbcDecrypt(Buffer.alloc(5, 1), 40, Buffer.alloc(8), Buffer.alloc(16, 0x55))).toThrow(
      'bad decrypt',
    )
  })
})
