/**
 * RC2-CBC decryption (RFC 2268), only for reading the certificate bags of legacy PKCS#12 files: Windows' default
 * export (and so a CM server-generated PFX from a Windows Server before 2019) encrypts certificates with
 * pbeWithSHAAnd40BitRC2-CBC. Node's OpenSSL 3 keeps RC2 in the legacy provider, which Node does not load, so
 * node:crypto cannot do this. The certificate bags it opens hold no secret; keys stay under 3DES or AES.
 */

/** PITABLE of RFC 2268 §2: a permutation of 0..255 derived from the digits of pi. */
const PI_TABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
    '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
)

/** RFC 2268 §2 key expansion: 64 16-bit subkeys from `key` with `effectiveBits` effective key bits. */
function expandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const T = key.length
  if (T < 1 || T > 128) throw new RangeError('RC2 key must be 1..128 bytes')
  const L = new Uint8Array(128)
  L.set(key)
  for (let i = T; i < 128; i++) L[i] = PI_TABLE[(L[i - 1]! + L[i - T]!) & 0xff]!
  const T8 = Math.ceil(effectiveBits / 8)
  const TM = 0xff % 2 ** (8 + effectiveBits - 8 * T8)
  L[128 - T8] = PI_TABLE[L[128 - T8]! & TM]!
  for (let i = 127 - T8; i >= 0; i--) L[i] = PI_TABLE[L[i + 1]! ^ L[i + T8]!]!
  const K = new Uint16Array(64)
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8)
  L.fill(0)
  return K
}

const ROTATIONS = [1, 2, 3, 5] as const

/** Decrypt one 8-byte block in place (RFC 2268 §4: the mixing and mashing rounds undone, in reverse order). */
function decryptBlock(K: Uint16Array, block: Uint8Array): void {
  const R = new Uint16Array(4)
  for (let i = 0; i < 4; i++) R[i] = block[2 * i]! | (block[2 * i + 1]! << 8)
  let j = 63
  const reverseMix = () => {
    for (let i = 3; i >= 0; i--) {
      const s = ROTATIONS[i]!
      R[i] = (R[i]! >>> s) | (R[i]! << (16 - s))
      R[i] = R[i]! - K[j--]! - (R[(i + 3) & 3]! & R[(i + 2) & 3]!) - (~R[(i + 3) & 3]! & R[(i + 1) & 3]!)
    }
  }
  const reverseMash = () => {
    for (let i = 3; i >= 0; i--) R[i] = R[i]! - K[R[(i + 3) & 3]! & 63]!
  }
  for (let r = 0; r < 5; r++) reverseMix()
  reverseMash()
  for (let r = 0; r < 6; r++) reverseMix()
  reverseMash()
  for (let r = 0; r < 5; r++) reverseMix()
  for (let i = 0; i < 4; i++) {
    block[2 * i] = R[i]! & 0xff
    block[2 * i + 1] = R[i]! >>> 8
  }
}

/** RC2 ECB decryption of whole blocks, no padding removal (for the RFC 2268 §5 test vectors). */
export function rc2DecryptBlocks(key: Uint8Array, effectiveBits: number, data: Uint8Array): Buffer {
  if (data.length % 8 !== 0) throw new RangeError('RC2 data must be whole 8-byte blocks')
  const K = expandKey(key, effectiveBits)
  const out = Buffer.from(data)
  for (let off = 0; off < out.length; off += 8) decryptBlock(K, out.subarray(off, off + 8))
  K.fill(0)
  return out
}

/**
 * RC2-CBC decryption with PKCS#7 padding removed. `effectiveBits` is the key's effective length (40 or 128 in
 * PKCS#12). Throws RangeError('bad decrypt') when the padding is wrong (wrong password).
 */
export function rc2CbcDecrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Buffer {
  if (iv.length !== 8 || data.length === 0) throw new RangeError('bad decrypt')
  const plain = rc2DecryptBlocks(key, effectiveBits, data)
  for (let off = 0; off < plain.length; off += 8) {
    const prev = off === 0 ? iv : data.subarray(off - 8, off)
    for (let i = 0; i < 8; i++) plain[off + i]! ^= prev[i]!
  }
  const pad = plain[plain.length - 1]!
  if (pad < 1 || pad > 8 || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    plain.fill(0)
    throw new RangeError('bad decrypt')
  }
  return plain.subarray(0, plain.length - pad)
}
