import {
  createCipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  pbkdf2Sync,
} from 'node:crypto'
import type { SeededRng } from '../rng'
import { ctx, int, nul, octets, oid, seq, set } from './der'

/**
 * Server-generated key entries of E10 (`isPfx`, SIM-B6): a PKCS#12 (RFC 7292) holding the certificate and a
 * PBES2/AES-256-CBC shrouded key, MAC'd with HMAC-SHA256. Salts and IVs come from the seeded RNG so the
 * bytes are reproducible (SIM-D1). OpenSSL 3 reads it with the pfxpassword.
 */

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const ITERATIONS = 2048

/** A deterministic Ed25519 key pair from the RNG: DER PKCS#8 and DER SPKI. */
export function serverGeneratedKey(rng: SeededRng): { pkcs8: Buffer; spki: Buffer } {
  const raw = rng.bytes('server-key', 32)
  const pkcs8 = Buffer.concat([ED25519_PKCS8_PREFIX, raw])
  raw.fill(0)
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
    format: 'der',
    type: 'spki',
  })
  return { pkcs8, spki }
}

/** RFC 7292 Appendix B.2 key derivation with SHA-256 (u = 32, v = 64). */
function pkcs12Kdf(password: string, salt: Buffer, id: number, iterations: number, n: number): Buffer {
  const v = 64
  const bmp = Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)])
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0)
    const len = Math.ceil(src.length / v) * v
    const out = Buffer.alloc(len)
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!
    return out
  }
  const D = Buffer.alloc(v, id)
  const I = Buffer.concat([fill(salt), fill(bmp)])
  const chunks: Buffer[] = []
  let have = 0
  while (have < n) {
    let A = createHash('sha256').update(D).update(I).digest()
    for (let r = 1; r < iterations; r++) A = createHash('sha256').update(A).digest()
    chunks.push(A)
    have += A.length
    const B = fill(A).subarray(0, v)
    for (let j = 0; j < I.length; j += v) {
      let carry = 1
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry
        I[j + k] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  bmp.fill(0)
  return Buffer.concat(chunks).subarray(0, n)
}

function shroudKey(rng: SeededRng, pkcs8: Buffer, password: string): Buffer {
  const salt = rng.bytes('pfx', 16)
  const iv = rng.bytes('pfx', 16)
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ITERATIONS, 32, 'sha256')
  const c = createCipheriv('aes-256-cbc', key, iv)
  const enc = Buffer.concat([c.update(pkcs8), c.final()])
  key.fill(0)
  const alg = seq(
    oid('1.2.840.113549.1.5.13'), // PBES2
    seq(
      seq(
        oid('1.2.840.113549.1.5.12'),
        seq(octets(salt), int(ITERATIONS), seq(oid('1.2.840.113549.2.9'), nul())),
      ),
      seq(oid('2.16.840.1.101.3.4.1.42'), octets(iv)),
    ),
  )
  return seq(alg, octets(enc))
}

function dataContentInfo(content: Buffer): Buffer {
  return seq(oid('1.2.840.113549.1.7.1'), ctx(0, octets(content)))
}

/** Build a PFX holding `certDer` and the private key, protected with `password`. */
export function buildPfx(rng: SeededRng, pkcs8: Buffer, certDer: Buffer, password: string): Buffer {
  const keyId = createHash('sha1').update(certDer).digest()
  const attrs = set(seq(oid('1.2.840.113549.1.9.21'), set(octets(keyId))))
  const certBag = seq(
    oid('1.2.840.113549.1.12.10.1.3'),
    ctx(0, seq(oid('1.2.840.113549.1.9.22.1'), ctx(0, octets(certDer)))),
    attrs,
  )
  const keyBag = seq(oid('1.2.840.113549.1.12.10.1.2'), ctx(0, shroudKey(rng, pkcs8, password)), attrs)
  const authSafe = seq(dataContentInfo(seq(certBag)), dataContentInfo(seq(keyBag)))
  const macSalt = rng.bytes('pfx', 16)
  const macKey = pkcs12Kdf(password, macSalt, 3, ITERATIONS, 32)
  const mac = createHmac('sha256', macKey).update(authSafe).digest()
  macKey.fill(0)
  const macData = seq(
    seq(seq(oid('2.16.840.1.101.3.4.2.1'), nul()), octets(mac)),
    octets(macSalt),
    int(ITERATIONS),
  )
  return seq(int(3), dataContentInfo(authSafe), macData)
}
