import { PrivateKey, PrivateKeyInfo } from '@peculiar/asn1-pkcs8'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

/**
 * Ed25519 keys from 32 seed bytes. The simulator uses Ed25519 for its CA and server-generated keys because its
 * signatures are deterministic: the same scenario seed gives byte-identical certificates (SIM-D1).
 */

/** id-Ed25519 (RFC 8410 §3): the AlgorithmIdentifier has no parameters. */
export const ED25519_OID = '1.3.101.112'

/** The signature / key AlgorithmIdentifier of Ed25519. */
export function ed25519Algorithm(): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: ED25519_OID })
}

/** DER PKCS#8 of the Ed25519 key whose seed is `raw` (RFC 8410 §7: the key is an OCTET STRING in privateKey). */
export function ed25519Pkcs8(raw: Uint8Array): Buffer {
  const curveKey = Buffer.from(AsnConvert.serialize(new OctetString(raw)))
  const info = new PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: ed25519Algorithm(),
    privateKey: new PrivateKey(curveKey),
  })
  const der = Buffer.from(AsnConvert.serialize(info))
  curveKey.fill(0)
  return der
}

/** The key pair of seed `raw`: a private KeyObject and the DER SubjectPublicKeyInfo. */
export function ed25519KeyPair(raw: Uint8Array): { privateKey: KeyObject; spki: Buffer } {
  const pkcs8 = ed25519Pkcs8(raw)
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
  pkcs8.fill(0)
  return { privateKey, spki: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }) }
}
