import { parseCertificationRequest } from '../../../services/pki/csr'
import type { ParsedCertificationRequest } from '../../../services/pki/csr'

/** CSR input of E10 (SIM-B6, Q9): base64 text in either wrapping, PKCS#10 parsed with the station's own parser. */

/** Strict base64 after removing whitespace (CSRs arrive with or without CRLF every 64 chars, Q9). */
export function decodeBase64Strict(text: string): Buffer | null {
  const s = text.replace(/\s+/g, '')
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null
  return Buffer.from(s, 'base64')
}

/** Parse a DER PKCS#10 request and check its self-signature (RSA, ECDSA, Ed25519); throws on bad DER. */
export function parseCsr(der: Buffer): ParsedCertificationRequest {
  return parseCertificationRequest(der)
}
