import { EncryptedContentInfo } from '@peculiar/asn1-cms'
import { AsnConvert, AsnProp, AsnPropTypes, AsnSequenceType, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto'

/**
 * Password-based encryption of PKCS#12 files: PBES2 with PBKDF2 (RFC 8018 §6.2, what OpenSSL 3 and current Windows
 * write), the PKCS#12 PBE schemes with the RFC 7292 appendix B key derivation (legacy Windows / .NET exports), and
 * that KDF for the MAC. Structures via @peculiar/asn1-*; ciphers and hashes via node:crypto. RC2 and RC4 schemes
 * are not supported: OpenSSL 3 keeps them in its legacy provider, which Node does not load.
 */

/** OIDs of the schemes and algorithms handled here (RFC 8018 appendix C, RFC 7292 appendix D, NIST). */
export const PBE_OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeWithSHAAnd3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  pbeWithSHAAnd2KeyTripleDesCbc: '1.2.840.113549.1.12.1.4',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const

/** PRF OIDs of PBKDF2 (RFC 8018 appendix B.1) → node:crypto digest. */
const PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
}

/** PBES2 encryption schemes → node:crypto cipher and key length (RFC 8018 appendix B.2, NIST AES OIDs). */
const PBES2_CIPHERS: Readonly<Record<string, { cipher: string; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24 },
}

/** Hash OIDs a PKCS#12 MAC may name → node:crypto digest. */
export const MAC_HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

/** `PBKDF2-params` (RFC 8018 appendix A.2); only the `specified` salt choice exists in practice. */
export class Pbkdf2Params {
  salt: ArrayBuffer = new ArrayBuffer(0)
  iterationCount = 0
  keyLength?: number
  /** DEFAULT hmacWithSHA1. */
  prf?: AlgorithmIdentifier
  constructor(params: Partial<Pbkdf2Params> = {}) {
    Object.assign(this, params)
  }
}
// Decorators applied by hand: the project compiles without legacy decorator support.
AsnSequenceType({})(Pbkdf2Params)
AsnProp({ type: AsnPropTypes.OctetString })(Pbkdf2Params.prototype, 'salt')
AsnProp({ type: AsnPropTypes.Integer })(Pbkdf2Params.prototype, 'iterationCount')
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Pbkdf2Params.prototype, 'keyLength')
AsnProp({ type: AlgorithmIdentifier, optional: true })(Pbkdf2Params.prototype, 'prf')

/** `PBES2-params` (RFC 8018 appendix A.4). */
export class Pbes2Params {
  keyDerivationFunc = new AlgorithmIdentifier()
  encryptionScheme = new AlgorithmIdentifier()
  constructor(params: Partial<Pbes2Params> = {}) {
    Object.assign(this, params)
  }
}
AsnSequenceType({})(Pbes2Params)
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'keyDerivationFunc')
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'encryptionScheme')

/** `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }` (RFC 7292 appendix C). */
export class Pkcs12PbeParams {
  salt: ArrayBuffer = new ArrayBuffer(0)
  iterations = 0
}
AsnSequenceType({})(Pkcs12PbeParams)
AsnProp({ type: AsnPropTypes.OctetString })(Pkcs12PbeParams.prototype, 'salt')
AsnProp({ type: AsnPropTypes.Integer })(Pkcs12PbeParams.prototype, 'iterations')

/** CMS `EncryptedData` (RFC 5652 §8), the password-encrypted SafeContents of a PFX; no unprotected attributes. */
export class CmsEncryptedData {
  version = 0
  encryptedContentInfo = new EncryptedContentInfo()
  constructor(params: Partial<CmsEncryptedData> = {}) {
    Object.assign(this, params)
  }
}
AsnSequenceType({})(CmsEncryptedData)
AsnProp({ type: AsnPropTypes.Integer })(CmsEncryptedData.prototype, 'version')
AsnProp({ type: EncryptedContentInfo })(CmsEncryptedData.prototype, 'encryptedContentInfo')

/** A scheme or parameter this module cannot handle; callers turn it into their own error. */
export class UnsupportedPbeError extends Error {
  override readonly name = 'UnsupportedPbeError'
}

/** Block size `v` of the PKCS#12 KDF per hash (RFC 7292 B.2: 64 for SHA-1/SHA-2-256, 128 for SHA-384/512). */
function blockSize(hash: string): number {
  return hash === 'sha384' || hash === 'sha512' ? 128 : 64
}

/** The password as RFC 7292 B.1 wants it: BMPString (UTF-16BE) with a two-byte terminator. Caller zeroes. */
export function bmpPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)])
}

/**
 * RFC 7292 appendix B.2 key derivation: `id` 1 = key, 2 = IV, 3 = MAC key; `password` already BMP-encoded
 * (bmpPassword). Returns `n` bytes; the caller zeroes them.
 */
export function pkcs12Kdf(
  hash: string,
  password: Buffer,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  n: number,
): Buffer {
  const v = blockSize(hash)
  const fill = (src: Uint8Array): Buffer => {
    const out = Buffer.alloc(src.length === 0 ? 0 : Math.ceil(src.length / v) * v)
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!
    return out
  }
  const D = Buffer.alloc(v, id)
  const I = Buffer.concat([fill(salt), fill(password)])
  const chunks: Buffer[] = []
  let have = 0
  while (have < n) {
    let A = createHash(hash).update(D).update(I).digest()
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest()
    chunks.push(A)
    have += A.length
    const B = fill(A).subarray(0, v)
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry
        I[j + k] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  I.fill(0)
  const out = Buffer.concat(chunks)
  const result = Buffer.from(out.subarray(0, n))
  out.fill(0)
  return result
}

function decipher(cipher: string, key: Buffer, iv: Buffer, data: Uint8Array): Buffer {
  try {
    const d = createDecipheriv(cipher, key, iv)
    return Buffer.concat([d.update(data), d.final()])
  } finally {
    key.fill(0)
  }
}

function pbes2Decrypt(params: ArrayBuffer, password: string, data: Uint8Array): Buffer {
  const p = AsnConvert.parse(params, Pbes2Params)
  if (p.keyDerivationFunc.algorithm !== PBE_OID.pbkdf2 || !p.keyDerivationFunc.parameters) {
    throw new UnsupportedPbeError(`PBES2 key derivation ${p.keyDerivationFunc.algorithm}`)
  }
  const kdf = AsnConvert.parse(p.keyDerivationFunc.parameters, Pbkdf2Params)
  const prf = PRF[kdf.prf?.algorithm ?? '1.2.840.113549.2.7']
  const scheme = PBES2_CIPHERS[p.encryptionScheme.algorithm]
  if (!prf || !scheme || !p.encryptionScheme.parameters) {
    throw new UnsupportedPbeError(`PBES2 ${p.encryptionScheme.algorithm} / ${kdf.prf?.algorithm ?? 'sha1'}`)
  }
  const iv = Buffer.from(AsnConvert.parse(p.encryptionScheme.parameters, OctetString).buffer)
  const pw = Buffer.from(password, 'utf8')
  const key = pbkdf2Sync(
    pw,
    Buffer.from(kdf.salt),
    kdf.iterationCount,
    kdf.keyLength ?? scheme.keyLength,
    prf,
  )
  pw.fill(0)
  return decipher(scheme.cipher, key, iv, data)
}

function pkcs12PbeDecrypt(params: ArrayBuffer, twoKey: boolean, password: string, data: Uint8Array): Buffer {
  const p = AsnConvert.parse(params, Pkcs12PbeParams)
  const pw = bmpPassword(password)
  const salt = new Uint8Array(p.salt)
  const derived = pkcs12Kdf('sha1', pw, salt, 1, p.iterations, twoKey ? 16 : 24)
  const iv = pkcs12Kdf('sha1', pw, salt, 2, p.iterations, 8)
  pw.fill(0)
  // Two-key 3DES is K1 K2 K1.
  const key = twoKey ? Buffer.concat([derived, derived.subarray(0, 8)]) : derived
  if (twoKey) derived.fill(0)
  return decipher('des-ede3-cbc', key, iv, data)
}

/**
 * Decrypt `data` encrypted with the password-based scheme `algorithm` (PBES2/PBKDF2 with AES-CBC or 3DES-CBC;
 * pbeWithSHAAnd3-KeyTripleDES-CBC or -2-KeyTripleDES-CBC). Throws UnsupportedPbeError for other schemes and the
 * node:crypto error (bad decrypt) for a wrong password. The result may be secret: the caller zeroes it.
 */
export function pbeDecrypt(algorithm: AlgorithmIdentifier, password: string, data: Uint8Array): Buffer {
  if (!algorithm.parameters) throw new UnsupportedPbeError(`${algorithm.algorithm} without parameters`)
  switch (algorithm.algorithm) {
    case PBE_OID.pbes2:
      return pbes2Decrypt(algorithm.parameters, password, data)
    case PBE_OID.pbeWithSHAAnd3KeyTripleDesCbc:
      return pkcs12PbeDecrypt(algorithm.parameters, false, password, data)
    case PBE_OID.pbeWithSHAAnd2KeyTripleDesCbc:
      return pkcs12PbeDecrypt(algorithm.parameters, true, password, data)
    default:
      throw new UnsupportedPbeError(`password-based scheme ${algorithm.algorithm}`)
  }
}

/**
 * Encrypt with PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC (RFC 8018 §6.2; OpenSSL 3's default) using the given
 * salt, IV and iteration count (the caller chooses them: the simulator draws them from its seeded RNG, SIM-D1).
 */
export function pbes2Encrypt(
  plain: Uint8Array,
  password: string,
  salt: Uint8Array,
  iv: Uint8Array,
  iterations: number,
): { algorithm: AlgorithmIdentifier; data: Buffer } {
  const pw = Buffer.from(password, 'utf8')
  const key = pbkdf2Sync(pw, salt, iterations, 32, 'sha256')
  pw.fill(0)
  const c = createCipheriv('aes-256-cbc', key, iv)
  const data = Buffer.concat([c.update(plain), c.final()])
  key.fill(0)
  const kdf = new Pbkdf2Params({
    salt: Uint8Array.from(salt).buffer,
    iterationCount: iterations,
    prf: new AlgorithmIdentifier({ algorithm: PBE_OID.hmacWithSha256, parameters: null }),
  })
  const params = new Pbes2Params({
    keyDerivationFunc: new AlgorithmIdentifier({
      algorithm: PBE_OID.pbkdf2,
      parameters: AsnConvert.serialize(kdf),
    }),
    encryptionScheme: new AlgorithmIdentifier({
      algorithm: PBE_OID.aes256Cbc,
      parameters: AsnConvert.serialize(new OctetString(iv)),
    }),
  })
  return {
    algorithm: new AlgorithmIdentifier({
      algorithm: PBE_OID.pbes2,
      parameters: AsnConvert.serialize(params),
    }),
    data,
  }
}
