import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr'
import { ExtensionRequest, id_pkcs9_at_extensionRequest } from '@peculiar/asn1-pkcs9'
import { AsnConvert, AsnProp, AsnPropTypes, AsnSequenceType, OctetString } from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier,
  Attribute,
  Extension,
  KeyUsage,
  KeyUsageFlags,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509'
import type { Name } from '@peculiar/asn1-x509'
import * as asn1js from 'asn1js'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { StationError } from '../../../shared/errors'
import type { DigestAlgorithm } from './digest-info'
import { RSA_SIGNATURE_OID, nodeHashName } from './digest-info'
import { parseName } from './name'

/**
 * PKCS#10 requests (RFC 2986) for keys generated on the card, shaped like the ones the Windows CM client sends
 * (FX-E10-1, cm-rest-api.md §3.6): OS version, extensionRequest, client info and enrollment CSP attributes.
 */

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'
/** Microsoft request attributes (wincrypt.h szOID_OS_VERSION, szOID_REQUEST_CLIENT_INFO, szOID_ENROLLMENT_CSP_PROVIDER). */
const MS_OS_VERSION = '1.3.6.1.4.1.311.13.2.3'
const MS_CLIENT_INFO = '1.3.6.1.4.1.311.21.20'
const MS_ENROLLMENT_CSP = '1.3.6.1.4.1.311.13.2.2'
/** CertEnroll ClientIdDefaultRequest, the id FX-E10-1's client info carries. */
const CLIENT_ID_DEFAULT_REQUEST = 5

/** CM `KeyUsages` bits (§4.8, WinRT EnrollKeyUsages). */
export const CM_KEY_USAGE = { decryption: 1, signing: 2, keyAgreement: 4 } as const

/** What goes into the request. */
export interface CertificationRequestInput {
  /** DER SubjectPublicKeyInfo of the key generated ON THE CARD (RSA 1024/2048). */
  publicKey: Uint8Array
  /** CM's `CertificateRequestGenerationOptions.Subject` (§3.6): '' = empty Name (the CA builds it), else RFC 4514. */
  subject: string
  /** `HashAlgorithmName` (SHA1 is still produced when CM asks, FX-E09-1). */
  hash: DigestAlgorithm
  /** CM `KeyUsages` bits (§4.8: Decryption 1 | Signing 2 | KeyAgreement 4); 0 = no KeyUsage extension. */
  keyUsages: number
  /** `KeyStorageProviderNames[0]` → enrollment CSP attribute (1.3.6.1.4.1.311.13.2.2), as Windows writes it. */
  keyStorageProvider?: string
  /** Client info attribute (1.3.6.1.4.1.311.21.20): machine DNS name, `DOMAIN\user`, process name. */
  clientInfo?: { machine: string; user: string; process: string }
  /** OS version attribute (1.3.6.1.4.1.311.13.2.3), Windows' "major.minor.build.platform" text, e.g. `10.0.19045.2`. */
  osVersion?: string
}

/** `ClientInfo ::= SEQUENCE { clientId INTEGER, MachineName UTF8String, UserName UTF8String, ProcessName UTF8String }`. */
class ClientInfoAsn {
  clientId = CLIENT_ID_DEFAULT_REQUEST
  machineName = ''
  userName = ''
  processName = ''
}
// Decorators applied by hand: the project compiles without legacy decorator support.
AsnSequenceType({})(ClientInfoAsn)
AsnProp({ type: AsnPropTypes.Integer })(ClientInfoAsn.prototype, 'clientId')
AsnProp({ type: AsnPropTypes.Utf8String })(ClientInfoAsn.prototype, 'machineName')
AsnProp({ type: AsnPropTypes.Utf8String })(ClientInfoAsn.prototype, 'userName')
AsnProp({ type: AsnPropTypes.Utf8String })(ClientInfoAsn.prototype, 'processName')

/** `CSPProvider ::= SEQUENCE { keySpec INTEGER, cspName BMPString, signature BIT STRING }` (0 = CNG key, no signature). */
class EnrollmentCspAsn {
  keySpec = 0
  cspName = ''
  signature: ArrayBuffer = new ArrayBuffer(0)
}
AsnSequenceType({})(EnrollmentCspAsn)
AsnProp({ type: AsnPropTypes.Integer })(EnrollmentCspAsn.prototype, 'keySpec')
AsnProp({ type: AsnPropTypes.BmpString })(EnrollmentCspAsn.prototype, 'cspName')
AsnProp({ type: AsnPropTypes.BitString })(EnrollmentCspAsn.prototype, 'signature')

/** sha*WithRSAEncryption OID → node:crypto hash (and the ECDSA / Ed25519 ones other clients send the simulator). */
const VERIFY_HASH: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.from(bytes).buffer
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (what Windows and FX-E10-1 use). */
export function keyIdentifier(spki: SubjectPublicKeyInfo): Buffer {
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest()
}

/** CM KeyUsages bits → X.509 KeyUsageFlags (Decryption → keyEncipherment, Signing → digitalSignature). */
export function keyUsageFlags(keyUsages: number): number {
  let flags = 0
  if (keyUsages & CM_KEY_USAGE.decryption) flags |= KeyUsageFlags.keyEncipherment
  if (keyUsages & CM_KEY_USAGE.signing) flags |= KeyUsageFlags.digitalSignature
  if (keyUsages & CM_KEY_USAGE.keyAgreement) flags |= KeyUsageFlags.keyAgreement
  return flags
}

function attribute(type: string, value: ArrayBuffer): Attribute {
  return new Attribute({ type, values: [value] })
}

function requestAttributes(input: CertificationRequestInput, spki: SubjectPublicKeyInfo): Attributes {
  const attrs: Attribute[] = []
  if (input.osVersion) {
    attrs.push(attribute(MS_OS_VERSION, new asn1js.IA5String({ value: input.osVersion }).toBER()))
  }
  const extensions = [
    new Extension({
      extnID: id_ce_subjectKeyIdentifier,
      extnValue: new OctetString(AsnConvert.serialize(new SubjectKeyIdentifier(keyIdentifier(spki)))),
    }),
  ]
  const ku = keyUsageFlags(input.keyUsages)
  if (ku !== 0) {
    extensions.push(
      new Extension({
        extnID: id_ce_keyUsage,
        critical: true,
        extnValue: new OctetString(AsnConvert.serialize(new KeyUsage(ku))),
      }),
    )
  }
  attrs.push(attribute(id_pkcs9_at_extensionRequest, AsnConvert.serialize(new ExtensionRequest(extensions))))
  if (input.clientInfo) {
    const ci = Object.assign(new ClientInfoAsn(), {
      machineName: input.clientInfo.machine,
      userName: input.clientInfo.user,
      processName: input.clientInfo.process,
    })
    attrs.push(attribute(MS_CLIENT_INFO, AsnConvert.serialize(ci)))
  }
  if (input.keyStorageProvider) {
    const csp = Object.assign(new EnrollmentCspAsn(), { cspName: input.keyStorageProvider })
    attrs.push(attribute(MS_ENROLLMENT_CSP, AsnConvert.serialize(csp)))
  }
  return new Attributes(attrs)
}

/**
 * Build the CertificationRequestInfo, have `sign` produce the PKCS#1 v1.5 signature over its DER with the card
 * (the caller hashes and wraps it with `digestInfo`), and assemble the PKCS#10 with sha*WithRSAEncryption.
 * Returns DER. The signature is checked against `publicKey` before returning, so a card that signed with another
 * key or padding never reaches CM. Throws RangeError when `publicKey` is not an RSA SubjectPublicKeyInfo,
 * StationError('invalid-response') when `subject` is not a distinguished name, StationError('internal') when the
 * card's signature does not verify.
 */
export async function buildCertificationRequest(
  input: CertificationRequestInput,
  sign: (tbs: Buffer) => Promise<Buffer>,
): Promise<Buffer> {
  let spki: SubjectPublicKeyInfo
  try {
    spki = AsnConvert.parse(input.publicKey, SubjectPublicKeyInfo)
  } catch {
    throw new RangeError('publicKey is not a DER SubjectPublicKeyInfo')
  }
  if (spki.algorithm.algorithm !== RSA_ENCRYPTION) throw new RangeError('publicKey is not an RSA key')
  const info = new CertificationRequestInfo({
    version: 0,
    subject: parseName(input.subject),
    subjectPKInfo: spki,
    attributes: requestAttributes(input, spki),
  })
  const tbs = Buffer.from(AsnConvert.serialize(info))
  const signature = await sign(tbs)
  const key = createPublicKey({ key: Buffer.from(input.publicKey), format: 'der', type: 'spki' })
  if (!verify(nodeHashName(input.hash), tbs, key, signature)) {
    throw new StationError('internal', {}, 'the card signature over the certificate request does not verify')
  }
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({
      algorithm: RSA_SIGNATURE_OID[input.hash],
      parameters: null,
    }),
    signature: toArrayBuffer(signature),
  })
  return Buffer.from(AsnConvert.serialize(request))
}

/** What a CA (the simulator) needs from a request. */
export interface ParsedCertificationRequest {
  /** DER SubjectPublicKeyInfo. */
  publicKey: Buffer
  subject: Name
  /** KeyUsageFlags bits of a requested KeyUsage extension, or null when none was requested. */
  keyUsage: number | null
  /** Requested SubjectKeyIdentifier, or null. */
  subjectKeyIdentifier: Buffer | null
  /** true = verified, false = checked and wrong, null = algorithm not checkable here. */
  signatureValid: boolean | null
}

function requestedExtensions(info: CertificationRequestInfo): Extension[] {
  const attr = info.attributes.find((a) => a.type === id_pkcs9_at_extensionRequest)
  const value = attr?.values[0]
  return value ? [...AsnConvert.parse(value, ExtensionRequest)] : []
}

/** Parse a DER PKCS#10 request and check its self-signature; throws (RangeError or the parser's) on bad DER. */
export function parseCertificationRequest(der: Uint8Array): ParsedCertificationRequest {
  const csr = AsnConvert.parse(der, CertificationRequest)
  const info = csr.certificationRequestInfo
  if (!csr.certificationRequestInfoRaw) throw new RangeError('CSR: no CertificationRequestInfo')
  const publicKey = Buffer.from(AsnConvert.serialize(info.subjectPKInfo))
  const algorithm = csr.signatureAlgorithm.algorithm
  let signatureValid: boolean | null = null
  if (algorithm in VERIFY_HASH) {
    try {
      const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' })
      const tbs = Buffer.from(csr.certificationRequestInfoRaw)
      signatureValid = verify(VERIFY_HASH[algorithm] ?? null, tbs, key, Buffer.from(csr.signature))
    } catch {
      signatureValid = false
    }
  }
  let keyUsage: number | null = null
  let subjectKeyIdentifier: Buffer | null = null
  for (const ext of requestedExtensions(info)) {
    if (ext.extnID === id_ce_keyUsage) keyUsage = AsnConvert.parse(ext.extnValue, KeyUsage).toNumber()
    if (ext.extnID === id_ce_subjectKeyIdentifier) {
      subjectKeyIdentifier = Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer)
    }
  }
  return { publicKey, subject: info.subject, keyUsage, subjectKeyIdentifier, signatureValid }
}

/** True when `der` is a PKCS#10 request whose self-signature verifies (tests, simulator). Never throws. */
export function verifyCertificationRequest(der: Uint8Array): boolean {
  try {
    return parseCertificationRequest(der).signatureValid === true
  } catch {
    return false
  }
}
