import { createPublicKey, verify } from 'node:crypto'
import { oidText, readChildren, readTlv } from './der'

/** What the simulator needs from a CSR: the public key to certify and whether its signature checked out. */
export interface ParsedCsr {
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer
  /** DER subject Name (empty SEQUENCE when the CA builds the subject, as in FX-E10-1). */
  subject: Buffer
  /** Signature algorithm OID. */
  sigAlg: string
  /** true = verified, false = checked and wrong, null = algorithm not checkable here. */
  signatureValid: boolean | null
}

const HASH_BY_SIG_OID: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption (FX-E10-1)
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519: verify() takes no digest
}

/** Strict base64 after removing whitespace (CSRs arrive with or without CRLF every 64 chars, Q9). */
export function decodeBase64Strict(text: string): Buffer | null {
  const s = text.replace(/\s+/g, '')
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null
  return Buffer.from(s, 'base64')
}

/** Parse a DER PKCS#10 CertificationRequest (RFC 2986) and check its self-signature; throws on bad DER. */
export function parseCsr(der: Buffer): ParsedCsr {
  const outer = readTlv(der)
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new RangeError('CSR: not one DER SEQUENCE')
  const [info, alg, sig] = readChildren(outer.content)
  if (!info || !alg || !sig || info.tag !== 0x30 || alg.tag !== 0x30 || sig.tag !== 0x03) {
    throw new RangeError('CSR: not a CertificationRequest')
  }
  const [version, subject, spki] = readChildren(info.content)
  if (!version || version.tag !== 0x02 || !subject || subject.tag !== 0x30 || !spki || spki.tag !== 0x30) {
    throw new RangeError('CSR: bad CertificationRequestInfo')
  }
  const algOid = readChildren(alg.content)[0]
  if (!algOid || algOid.tag !== 0x06) throw new RangeError('CSR: bad signature algorithm')
  const sigAlg = oidText(algOid.content)
  let signatureValid: boolean | null = null
  if (sigAlg in HASH_BY_SIG_OID) {
    try {
      const key = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' })
      signatureValid = verify(HASH_BY_SIG_OID[sigAlg] ?? null, info.raw, key, sig.content.subarray(1))
    } catch {
      signatureValid = false
    }
  }
  return { spki: Buffer.from(spki.raw), subject: Buffer.from(subject.raw), sigAlg, signatureValid }
}
