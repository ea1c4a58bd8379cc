import { createCipheriv, createDecipheriv } from 'node:crypto'

/**
 * Three-key 3DES (EDE) primitives used by the GIDS admin key and the CM admin challenge-response.
 * The 24 key bytes are K1‖K2‖K3 as-is (gids-card-edge.md §5.1); no padding anywhere.
 */

function check(key: Uint8Array, data: Uint8Array): void {
  if (key.length !== 24) throw new RangeError('3DES key must be 24 bytes')
  if (data.length % 8 !== 0) throw new RangeError('3DES data must be a multiple of 8 bytes')
}

/** 3DES-EDE ECB encryption, no padding. */
export function tdesEcbEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  check(key, data)
  const c = createCipheriv('des-ede3-ecb', key, null)
  c.setAutoPadding(false)
  return Buffer.concat([c.update(data), c.final()])
}

/** 3DES-EDE ECB decryption, no padding. */
export function tdesEcbDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  check(key, data)
  const d = createDecipheriv('des-ede3-ecb', key, null)
  d.setAutoPadding(false)
  return Buffer.concat([d.update(data), d.final()])
}

/** 3DES-EDE CBC with a zero IV, no padding (GIDS mutual authentication, §5.3). */
export function tdesCbcEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  check(key, data)
  const c = createCipheriv('des-ede3-cbc', key, Buffer.alloc(8))
  c.setAutoPadding(false)
  return Buffer.concat([c.update(data), c.final()])
}

/** 3DES-EDE CBC decryption with a zero IV, no padding. */
export function tdesCbcDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  check(key, data)
  const d = createDecipheriv('des-ede3-cbc', key, Buffer.alloc(8))
  d.setAutoPadding(false)
  return Buffer.concat([d.update(data), d.final()])
}

/**
 * The CM admin challenge response: 3DES-EDE-encrypt(adminKey, challenge), one 8-byte block
 * (cm-rest-api.md §5.2; zero key + d61143f9ccffd2ca → 17466e766e303cb6).
 */
export function adminResponse(key24: Uint8Array, challenge8: Uint8Array): Buffer {
  if (challenge8.length !== 8) throw new RangeError('admin challenge must be 8 bytes')
  return tdesEcbEncrypt(key24, challenge8)
}

/** Key check value: the first 3 bytes of E(K, 00×8) (gids-card-edge.md §6). */
export function keyCheckValue(key24: Uint8Array): Buffer {
  return tdesEcbEncrypt(key24, Buffer.alloc(8)).subarray(0, 3)
}

/** Set odd DES parity on every byte (bit 0 adjusted so each byte has an odd number of 1 bits). */
export function oddParity(key: Uint8Array): Buffer {
  const out = Buffer.from(key)
  for (let i = 0; i < out.length; i++) {
    const b = out[i]! & 0xfe
    let ones = 0
    for (let v = b; v; v >>= 1) ones += v & 1
    out[i] = ones % 2 === 0 ? b | 1 : b
  }
  return out
}

/** Overwrite a secret buffer with zeros (conventions §10). */
export function zeroize(...buffers: Array<Uint8Array | null | undefined>): void {
  for (const b of buffers) b?.fill(0)
}
