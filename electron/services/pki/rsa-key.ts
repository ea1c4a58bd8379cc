import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa'
import { AsnConvert } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509'

/** INTEGER content of an unsigned big-endian magnitude: leading zeros dropped, one 00 kept if the top bit is set. */
function unsignedInteger(magnitude: Uint8Array): ArrayBuffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const trimmed = magnitude.subarray(start)
  const out = new Uint8Array(trimmed.length + (trimmed[0]! & 0x80 ? 1 : 0))
  out.set(trimmed, out.length - trimmed.length)
  return out.buffer
}

/**
 * The DER SubjectPublicKeyInfo (rsaEncryption, NULL parameters, RFC 8017 appendix A.1) of an RSA key given as the
 * unsigned big-endian modulus and exponent a GIDS card returns after GENERATE ASYMMETRIC KEY PAIR
 * (`7F 49 { 81 modulus, 82 exponent }`, gids-card-edge.md §9.3). Throws RangeError on an empty value.
 */
export function rsaPublicKeyInfo(modulus: Uint8Array, exponent: Uint8Array): Buffer {
  if (modulus.length === 0 || exponent.length === 0) throw new RangeError('empty RSA modulus or exponent')
  const key = new RSAPublicKey({
    modulus: unsignedInteger(modulus),
    publicExponent: unsignedInteger(exponent),
  })
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }),
    subjectPublicKey: AsnConvert.serialize(key),
  })
  return Buffer.from(AsnConvert.serialize(spki))
}
