import {
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  Attribute as CmsAttribute,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms'
import {
  ContentType,
  MessageDigest,
  id_pkcs9_at_contentType,
  id_pkcs9_at_messageDigest,
} from '@peculiar/asn1-pkcs9'
import { AsnConvert, AsnSerializer, OctetString } from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  OtherName,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
} from '@peculiar/asn1-x509'
import * as asn1js from 'asn1js'
import { createHash, createHmac, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { keyIdentifier } from '../../../services/pki/csr'
import { ID_CCT_PKI_RESPONSE, successResponse } from './cmc'
import { ed25519Algorithm, ed25519KeyPair } from './ed25519'

/**
 * The simulator's in-memory CA (SIM-B6): root → issuing CA → user, built with @peculiar/asn1-x509. Keys are
 * Ed25519 derived from the scenario seed (deterministic signatures, SIM-D1). Responses come in the two forms of
 * cm-rest-api.md §3.7: the CMC full response real CM returns (FX-E10-1) and a certs-only SignedData.
 */

const CA_NOT_BEFORE = new Date(Date.UTC(2010, 0, 1))
const CA_NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59))
const DAY_MS = 86_400_000
const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  domainComponent: '0.9.2342.19200300.100.1.25',
  /** szOID_NT_PRINCIPAL_NAME: the UPN otherName smart-card logon maps to the account. */
  upn: '1.3.6.1.4.1.311.20.2.3',
  /** szOID_KP_SMARTCARD_LOGON. */
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  /** szOID_ENROLL_CERTTYPE_EXTENSION: the V1 template name as a BMPString. */
  templateName: '1.3.6.1.4.1.311.20.2',
  /** SHA-512: the CMS digest Ed25519 signers use with signed attributes (RFC 8419 §3). */
  sha512: '2.16.840.1.101.3.4.2.3',
} as const

/** One issued certificate with the values E20/E22 report about it. */
export interface IssuedCertificate {
  der: Buffer
  serialHex: string
  thumbprintHex: string
  notBefore: number
  notAfter: number
}

/** The holder's directory data (seed user) the CA builds the subject and UPN from. */
export interface Holder {
  displayName: string
  upn: string
}

/** What to put in a user certificate. */
export interface IssueParams {
  /** DER SubjectPublicKeyInfo of the key to certify. */
  spki: Buffer
  holder: Holder
  templateName: string
  serial: Buffer
  notBefore: number
  validityDays: number
  /** KeyUsageFlags bits; the CSR's request or the template default. */
  keyUsage: number
  /** The CSR's requested SubjectKeyIdentifier (Windows copies it), else computed from the key. */
  subjectKeyIdentifier?: Buffer | null
}

function rdn(type: string, value: AttributeValue): RelativeDistinguishedName {
  return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })])
}

function caName(cn: string): Name {
  return new Name([
    rdn(OID.organization, new AttributeValue({ utf8String: 'Contoso Simulator' })),
    rdn(OID.commonName, new AttributeValue({ utf8String: cn })),
  ])
}

/** `CN=<DisplayName>, OU=Users, DC=<upn domain labels>` in DER order (DC=com first), like an AD user's DN. */
export function holderName(holder: Holder): Name {
  const domain = holder.upn.split('@')[1] || 'corp.contoso.com'
  return new Name([
    ...domain
      .split('.')
      .reverse()
      .map((label) => rdn(OID.domainComponent, new AttributeValue({ ia5String: label }))),
    rdn(OID.organizationalUnit, new AttributeValue({ utf8String: 'Users' })),
    rdn(OID.commonName, new AttributeValue({ utf8String: holder.displayName })),
  ])
}

function extension(extnID: string, value: object, critical = false): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) })
}

/** An extension whose value is a bare ASN.1 string (no library class exists for it). */
function rawExtension(extnID: string, value: asn1js.BaseBlock): Extension {
  return new Extension({ extnID, extnValue: new OctetString(value.toBER()) })
}

function signCertificate(tbs: TBSCertificate, issuerKey: KeyObject): Buffer {
  const signature = sign(null, Buffer.from(AsnConvert.serialize(tbs)), issuerKey)
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: ed25519Algorithm(),
    signatureValue: Uint8Array.from(signature).buffer,
  })
  return Buffer.from(AsnConvert.serialize(cert))
}

/** INTEGER content of a positive serial: a leading 00 when the top bit is set (X.690 §8.3). */
function serialInteger(serial: Buffer): ArrayBuffer {
  return Uint8Array.from(serial[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), serial]) : serial).buffer
}

/** A two-level simulated CA whose keys and certificates are a pure function of the seed. */
export class SimCa {
  readonly rootName = 'Contoso Sim Root CA'
  readonly issuingName = 'Contoso Sim Issuing CA'
  /** `host\CA name`, the form X509ClmCertificate.Issuer uses (§3.8). */
  readonly issuerDisplay = 'SIM-CA01.corp.contoso.com\\Contoso Sim Issuing CA'
  private readonly issuingKey: KeyObject
  private readonly issuingKeyId: Buffer
  private readonly issuingSerial = Buffer.from([2])
  readonly rootCert: Buffer
  readonly issuingCert: Buffer

  constructor(seed: string) {
    const derive = (label: string) =>
      ed25519KeyPair(createHmac('sha256', seed).update(`cm-sim-ca-key:${label}`).digest())
    const root = derive('root')
    const issuing = derive('issuing')
    this.issuingKey = issuing.privateKey
    const rootSpki = AsnConvert.parse(root.spki, SubjectPublicKeyInfo)
    const issuingSpki = AsnConvert.parse(issuing.spki, SubjectPublicKeyInfo)
    const rootKeyId = keyIdentifier(rootSpki)
    this.issuingKeyId = keyIdentifier(issuingSpki)
    const caTbs = (
      serial: Buffer,
      issuer: string,
      subject: string,
      spki: SubjectPublicKeyInfo,
      pathLen?: number,
    ) =>
      new TBSCertificate({
        version: Version.v3,
        serialNumber: serialInteger(serial),
        signature: ed25519Algorithm(),
        issuer: caName(issuer),
        validity: new Validity({ notBefore: CA_NOT_BEFORE, notAfter: CA_NOT_AFTER }),
        subject: caName(subject),
        subjectPublicKeyInfo: spki,
        extensions: new Extensions([
          extension(
            id_ce_basicConstraints,
            new BasicConstraints(
              pathLen === undefined ? { cA: true } : { cA: true, pathLenConstraint: pathLen },
            ),
            true,
          ),
          extension(id_ce_keyUsage, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign), true),
          extension(id_ce_subjectKeyIdentifier, new SubjectKeyIdentifier(keyIdentifier(spki))),
          ...(issuer === subject
            ? []
            : [
                extension(
                  id_ce_authorityKeyIdentifier,
                  new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(rootKeyId) }),
                ),
              ]),
        ]),
      })
    this.rootCert = signCertificate(
      caTbs(Buffer.from([1]), this.rootName, this.rootName, rootSpki),
      root.privateKey,
    )
    this.issuingCert = signCertificate(
      caTbs(this.issuingSerial, this.rootName, this.issuingName, issuingSpki, 0),
      root.privateKey,
    )
  }

  /** Issue a smart-card logon user certificate for the CSR's key (subject, UPN SAN, EKUs, template name). */
  issue(p: IssueParams): IssuedCertificate {
    const notAfter = p.notBefore + p.validityDays * DAY_MS
    const spki = AsnConvert.parse(p.spki, SubjectPublicKeyInfo)
    const upn = new OtherName({
      typeId: OID.upn,
      value: new asn1js.Utf8String({ value: p.holder.upn }).toBER(),
    })
    const tbs = new TBSCertificate({
      version: Version.v3,
      serialNumber: serialInteger(p.serial),
      signature: ed25519Algorithm(),
      issuer: caName(this.issuingName),
      validity: new Validity({ notBefore: new Date(p.notBefore), notAfter: new Date(notAfter) }),
      subject: holderName(p.holder),
      subjectPublicKeyInfo: spki,
      extensions: new Extensions([
        extension(
          id_ce_subjectKeyIdentifier,
          new SubjectKeyIdentifier(p.subjectKeyIdentifier ?? keyIdentifier(spki)),
        ),
        extension(
          id_ce_authorityKeyIdentifier,
          new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(this.issuingKeyId) }),
        ),
        extension(id_ce_keyUsage, new KeyUsage(p.keyUsage), true),
        extension(id_ce_extKeyUsage, new ExtendedKeyUsage([OID.smartcardLogon, id_kp_clientAuth])),
        extension(id_ce_subjectAltName, new SubjectAlternativeName([new GeneralName({ otherName: upn })])),
        rawExtension(OID.templateName, new asn1js.BmpString({ value: p.templateName })),
      ]),
    })
    const der = signCertificate(tbs, this.issuingKey)
    return {
      der,
      serialHex: p.serial.toString('hex').toUpperCase(),
      thumbprintHex: createHash('sha1').update(der).digest('hex').toUpperCase(),
      notBefore: p.notBefore,
      notAfter,
    }
  }

  private certificateSet(leaf: Buffer): CertificateSet {
    return new CertificateSet(
      [this.rootCert, this.issuingCert, leaf].map(
        (der) => new CertificateChoices({ certificate: AsnConvert.parse(der, Certificate) }),
      ),
    )
  }

  /** Certs-only CMS SignedData (RFC 5652 §5, "degenerate" form): root, issuing CA, leaf; no signer. */
  certsOnly(leaf: Buffer): Buffer {
    const signed = new SignedData({
      version: 1,
      encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
      certificates: this.certificateSet(leaf),
    })
    return contentInfo(signed)
  }

  /**
   * The CMC full response (RFC 5272 §3.2.3) real CM returns (FX-E10-1): SignedData v3 over a PKIResponse saying
   * success, certificates root, issuing CA, leaf, and one SignerInfo by the issuing CA (Ed25519 over the signed
   * attributes contentType + messageDigest, SHA-512 digest as RFC 8419 §3 requires).
   */
  cmcResponse(leaf: Buffer): Buffer {
    const body = successResponse()
    const signedAttrs = [
      new CmsAttribute({
        attrType: id_pkcs9_at_contentType,
        attrValues: [AsnConvert.serialize(new ContentType(ID_CCT_PKI_RESPONSE))],
      }),
      new CmsAttribute({
        attrType: id_pkcs9_at_messageDigest,
        attrValues: [AsnConvert.serialize(new MessageDigest(createHash('sha512').update(body).digest()))],
      }),
    ]
    // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4), not their [0] IMPLICIT form.
    const attrSet = new asn1js.Set({ value: signedAttrs.map((a) => AsnSerializer.toASN(a)) })
    const signature = sign(null, Buffer.from(attrSet.toBER()), this.issuingKey)
    const signer = new SignerInfo({
      version: 1,
      sid: new SignerIdentifier({
        issuerAndSerialNumber: new IssuerAndSerialNumber({
          issuer: caName(this.rootName),
          serialNumber: serialInteger(this.issuingSerial),
        }),
      }),
      digestAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha512 }),
      signedAttrs,
      signatureAlgorithm: ed25519Algorithm(),
      signature: new OctetString(signature),
    })
    const signed = new SignedData({
      version: 3,
      digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: OID.sha512 })]),
      encapContentInfo: new EncapsulatedContentInfo({
        eContentType: ID_CCT_PKI_RESPONSE,
        eContent: new EncapsulatedContent({ single: new OctetString(body) }),
      }),
      certificates: this.certificateSet(leaf),
      signerInfos: new SignerInfos([signer]),
    })
    return contentInfo(signed)
  }
}

function contentInfo(signed: SignedData): Buffer {
  return Buffer.from(
    AsnConvert.serialize(
      new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signed) }),
    ),
  )
}

/** Base64 with CRLF after every 64 characters, including the last line (the FX-E10-1 Pkcs7 layout). */
export function base64Crlf(der: Buffer): string {
  const b64 = der.toString('base64')
  let out = ''
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\r\n'
  return out
}
