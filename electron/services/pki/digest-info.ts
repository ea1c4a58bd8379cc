import { AsnConvert, AsnProp, AsnPropTypes, AsnSequenceType, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'
import { createHash } from 'node:crypto'

/**
 * Hash algorithms CM may ask for in `CertificateRequestGenerationOptions.HashAlgorithmName` (cm-rest-api.md §3.6;
 * FX-E09-1 asks for SHA1).
 */
export const DIGEST_ALGORITHMS = ['SHA1', 'SHA256', 'SHA384', 'SHA512'] as const
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number]

/** Hash OIDs (NIST / OIW registrations) and node:crypto names. */
const HASH: Readonly<Record<DigestAlgorithm, { oid: string; node: string; bytes: number }>> = {
  SHA1: { oid: '1.3.14.3.2.26', node: 'sha1', bytes: 20 },
  SHA256: { oid: '2.16.840.1.101.3.4.2.1', node: 'sha256', bytes: 32 },
  SHA384: { oid: '2.16.840.1.101.3.4.2.2', node: 'sha384', bytes: 48 },
  SHA512: { oid: '2.16.840.1.101.3.4.2.3', node: 'sha512', bytes: 64 },
}

/** sha*WithRSAEncryption signature OIDs (RFC 8017 appendix A.2.4). */
export const RSA_SIGNATURE_OID: Readonly<Record<DigestAlgorithm, string>> = {
  SHA1: '1.2.840.113549.1.1.5',
  SHA256: '1.2.840.113549.1.1.11',
  SHA384: '1.2.840.113549.1.1.12',
  SHA512: '1.2.840.113549.1.1.13',
}

/** The CM spelling (any case, "SHA-256" too) → the algorithm, or null when the station does not support it. */
export function digestAlgorithmOf(name: string): DigestAlgorithm | null {
  const n = name.trim().toUpperCase().replace(/-/g, '')
  return (DIGEST_ALGORITHMS as readonly string[]).includes(n) ? (n as DigestAlgorithm) : null
}

/** The node:crypto hash name. */
export function nodeHashName(algorithm: DigestAlgorithm): string {
  return HASH[algorithm].node
}

/** Hash `data` with `algorithm`. */
export function digest(algorithm: DigestAlgorithm, data: Uint8Array): Buffer {
  return createHash(HASH[algorithm].node).update(data).digest()
}

/** `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }` (RFC 8017 §9.2). */
class DigestInfoAsn {
  digestAlgorithm = new AlgorithmIdentifier()
  digest = new OctetString()
}
// Decorators applied by hand: the project compiles without legacy decorator support.
AsnSequenceType({})(DigestInfoAsn)
AsnProp({ type: AlgorithmIdentifier })(DigestInfoAsn.prototype, 'digestAlgorithm')
AsnProp({ type: AsnPropTypes.OctetString })(DigestInfoAsn.prototype, 'digest')

/**
 * The DER DigestInfo a GIDS card signs with PKCS#1 v1.5 (algorithm `5x`, the card adds the type-1 padding,
 * gids-card-edge.md §9.5). The hash parameters are an explicit NULL, as RFC 8017 §9.2 note 1 and Windows write them.
 * Throws RangeError when `hash` has the wrong length for the algorithm.
 */
export function digestInfo(algorithm: DigestAlgorithm, hash: Uint8Array): Buffer {
  const h = HASH[algorithm]
  if (hash.length !== h.bytes) throw new RangeError(`${algorithm} digest must be ${h.bytes} bytes`)
  const info = new DigestInfoAsn()
  info.digestAlgorithm = new AlgorithmIdentifier({ algorithm: h.oid, parameters: null })
  info.digest = new OctetString(hash)
  return Buffer.from(AsnConvert.serialize(info))
}
