import { AsnConvert } from '@peculiar/asn1-schema'
import type { Time } from '@peculiar/asn1-x509'
import { Certificate, SubjectPublicKeyInfo } from '@peculiar/asn1-x509'
import * as asn1js from 'asn1js'
import { createHash } from 'node:crypto'
import { StationError } from '../../../shared/errors'
import { nameToString } from './name'

/** Re-exported: the RFC 4514 rendering lives with the parser in ./name. */
export { nameToString }

/** What the station shows about a certificate (card details, enrollment summary). Nothing secret. */
export interface CertificateInfo {
  /** RFC 4514 order (most specific first), e.g. `CN=Ana Souza, OU=Users, DC=corp, DC=contoso, DC=com`. */
  subject: string
  issuer: string
  /** ISO instants. */
  notBefore: string
  notAfter: string
  /** Upper-case hex, as CM shows serial numbers (cm-rest-api.md §3.8). */
  serialNumber: string
  /** Upper-case hex SHA-1 of the DER, as CM shows thumbprints (§3.8). */
  thumbprint: string
  /**
   * The Microsoft certificate template: the name from extension 1.3.6.1.4.1.311.20.2 (V1 templates) or the OID of
   * 1.3.6.1.4.1.311.21.7 (V2+ templates); null when neither is present.
   */
  templateName: string | null
  /** DER SubjectPublicKeyInfo, to match the certificate with a key on the card. */
  publicKey: Buffer
}

function timeToIso(time: Time): string {
  return time.getTime().toISOString()
}

const MS_TEMPLATE_NAME = '1.3.6.1.4.1.311.20.2'
const MS_TEMPLATE_INFO = '1.3.6.1.4.1.311.21.7'

/** The template name (V1: a BMPString) or OID (V2+: `SEQUENCE { templateID OID, major INT, minor INT }`). */
function templateOf(cert: Certificate): string | null {
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    if (ext.extnID !== MS_TEMPLATE_NAME && ext.extnID !== MS_TEMPLATE_INFO) continue
    const parsed = asn1js.fromBER(ext.extnValue.buffer)
    if (parsed.offset === -1) continue
    const v = parsed.result
    if (ext.extnID === MS_TEMPLATE_NAME && 'valueBlock' in v) {
      const text = (v as asn1js.BmpString).valueBlock?.value
      if (typeof text === 'string' && text) return text
    }
    if (ext.extnID === MS_TEMPLATE_INFO && v instanceof asn1js.Sequence) {
      const first = v.valueBlock.value[0]
      if (first instanceof asn1js.ObjectIdentifier) return first.valueBlock.toString()
    }
  }
  return null
}

/** Parse a DER X.509 certificate; throws StationError('certificate-unreadable') when it is not one. */
export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return AsnConvert.parse(der, Certificate)
  } catch (error) {
    throw new StationError(
      'certificate-unreadable',
      {},
      `not an X.509 certificate (${(error as Error).message})`,
    )
  }
}

/** Describe a DER certificate for display and key matching. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  const cert = parseCertificate(der)
  const tbs = cert.tbsCertificate
  return {
    subject: nameToString(tbs.subject),
    issuer: nameToString(tbs.issuer),
    notBefore: timeToIso(tbs.validity.notBefore),
    notAfter: timeToIso(tbs.validity.notAfter),
    serialNumber: Buffer.from(tbs.serialNumber).toString('hex').toUpperCase(),
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    templateName: templateOf(cert),
    publicKey: Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo)),
  }
}

/**
 * True when two DER SubjectPublicKeyInfo blobs hold the same key. Compared on the re-encoded structure, so an
 * algorithm parameter written as absent vs NULL by different encoders does not make equal keys differ.
 */
export function samePublicKey(a: Uint8Array, b: Uint8Array): boolean {
  try {
    const ka = AsnConvert.parse(a, SubjectPublicKeyInfo)
    const kb = AsnConvert.parse(b, SubjectPublicKeyInfo)
    return (
      ka.algorithm.algorithm === kb.algorithm.algorithm &&
      Buffer.from(ka.subjectPublicKey).equals(Buffer.from(kb.subjectPublicKey))
    )
  } catch {
    return false
  }
}
