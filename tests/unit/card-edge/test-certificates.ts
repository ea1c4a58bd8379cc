import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509'
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

/** A test CA key (RSA 2048), made once per test file that asks for it. */
let caKey: KeyObject | null = null
function ca(): KeyObject {
  caKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  return caKey
}

function cn(text: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: text }) }),
    ]),
  ])
}

/**
 * A real X.509 v3 certificate for `spki` (DER SubjectPublicKeyInfo), signed sha256WithRSA by a test CA.
 * `padding` adds a non-critical private extension of that many random bytes (incompressible: makes the
 * certificate file as large as needed).
 */
export function makeCertificate(spki: Uint8Array, subject: string, padding = 0): Buffer {
  const sha256WithRsa = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null })
  const extensions = padding
    ? new Extensions([
        new Extension({
          extnID: '1.3.6.1.4.1.99999.1',
          critical: false,
          extnValue: new OctetString(AsnConvert.serialize(new OctetString(randomBytes(padding)))),
        }),
      ])
    : undefined
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(randomBytes(8).fill(0x11, 0, 1)),
    signature: sha256WithRsa,
    issuer: cn('Station Test CA'),
    validity: new Validity({
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
    }),
    subject: cn(subject),
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    ...(extensions && { extensions }),
  })
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs))
  const signature = sign('sha256', tbsDer, ca())
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: sha256WithRsa,
    signatureValue: arrayBuffer(signature),
  })
  return Buffer.from(AsnConvert.serialize(cert))
}

function arrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
}
