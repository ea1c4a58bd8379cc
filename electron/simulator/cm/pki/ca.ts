import { createHash, createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { bits, bool, ctx, int, intBytes, octets, oid, seq, set, time, tlv, utf8 } from './der'

/**
 * The simulator's in-memory CA (SIM-B6). Keys are Ed25519 derived from the scenario seed, because Ed25519
 * signatures are deterministic: the same seed gives byte-identical certificates (SIM-D1). The output is a
 * certs-only CMS SignedData (no signer) holding root, issuing CA and the user certificate, which is a
 * simpler container than the real CMC full response of FX-E10-1 (the docs scenario returns that verbatim).
 */

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SIG_ALG = seq(oid('1.3.101.112')) // id-Ed25519, no parameters (RFC 8410)
const CA_NOT_BEFORE = Date.UTC(2010, 0, 1)
const CA_NOT_AFTER = Date.UTC(2049, 11, 31, 23, 59, 59)
const DAY_MS = 86_400_000

/** One issued certificate with the values E20/E22 report about it. */
export interface IssuedCertificate {
  der: Buffer
  serialHex: string
  thumbprintHex: string
  notBefore: number
  notAfter: number
}

/** What to put in a user certificate. */
export interface IssueParams {
  spki: Buffer
  commonName: string
  upn: string
  templateName: string
  serial: Buffer
  notBefore: number
  validityDays: number
}

function name(cn: string, org = 'Contoso Simulator'): Buffer {
  return seq(set(seq(oid('2.5.4.10'), utf8(org))), set(seq(oid('2.5.4.3'), utf8(cn))))
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value))
}

function deriveKey(seed: string, label: string): KeyObject {
  const raw = createHmac('sha256', seed).update(`cm-sim-ca-key:${label}`).digest()
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' })
}

function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' })
}

function signCert(tbs: Buffer, issuerKey: KeyObject): Buffer {
  return seq(tbs, SIG_ALG, bits(sign(null, tbs, issuerKey)))
}

/** Base64 with CRLF after every 64 characters, including the last line (the FX-E10-1 Pkcs7 layout). */
export function base64Crlf(der: Buffer): string {
  const b64 = der.toString('base64')
  let out = ''
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\r\n'
  return out
}

/** A two-level simulated CA whose keys and certificates are a pure function of the seed. */
export class SimCa {
  readonly rootName = 'Contoso Sim Root CA'
  readonly issuingName = 'Contoso Sim Issuing CA'
  /** `host\CA name`, the form X509ClmCertificate.Issuer uses (§3.8). */
  readonly issuerDisplay = 'SIM-CA01.corp.contoso.com\\Contoso Sim Issuing CA'
  private readonly rootKey: KeyObject
  private readonly issuingKey: KeyObject
  readonly rootCert: Buffer
  readonly issuingCert: Buffer

  constructor(seed: string) {
    this.rootKey = deriveKey(seed, 'root')
    this.issuingKey = deriveKey(seed, 'issuing')
    const caExts = (pathLen: number | null) =>
      ctx(
        3,
        seq(
          ext('2.5.29.19', true, seq(bool(true), ...(pathLen === null ? [] : [int(pathLen)]))),
          ext('2.5.29.15', true, bits(Buffer.from([0x06]))), // keyCertSign | cRLSign
        ),
      )
    const rootTbs = seq(
      ctx(0, int(2)),
      int(1),
      SIG_ALG,
      name(this.rootName),
      seq(time(CA_NOT_BEFORE), time(CA_NOT_AFTER)),
      name(this.rootName),
      spkiOf(this.rootKey),
      caExts(null),
    )
    this.rootCert = signCert(rootTbs, this.rootKey)
    const issTbs = seq(
      ctx(0, int(2)),
      int(2),
      SIG_ALG,
      name(this.rootName),
      seq(time(CA_NOT_BEFORE), time(CA_NOT_AFTER)),
      name(this.issuingName),
      spkiOf(this.issuingKey),
      caExts(0),
    )
    this.issuingCert = signCert(issTbs, this.rootKey)
  }

  /** Issue a smart-card logon style user certificate for the CSR's public key. */
  issue(p: IssueParams): IssuedCertificate {
    const notAfter = p.notBefore + p.validityDays * DAY_MS
    const upnSan = seq(
      ctx(0, oid('1.3.6.1.4.1.311.20.2.3'), ctx(0, utf8(p.upn))), // otherName UPN (smart card logon)
    )
    const exts = ctx(
      3,
      seq(
        ext('2.5.29.19', true, seq()),
        ext('2.5.29.15', true, bits(Buffer.from([0xa0]))), // digitalSignature | keyEncipherment
        ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'), oid('1.3.6.1.4.1.311.20.2.2'))),
        ext('2.5.29.17', false, upnSan),
        ext('1.3.6.1.4.1.311.20.2', false, tlv(0x1e, Buffer.from(p.templateName, 'utf16le').swap16())),
      ),
    )
    const tbs = seq(
      ctx(0, int(2)),
      intBytes(p.serial),
      SIG_ALG,
      name(this.issuingName),
      seq(time(p.notBefore), time(notAfter)),
      name(p.commonName, 'Contoso'),
      p.spki,
      exts,
    )
    const der = signCert(tbs, this.issuingKey)
    return {
      der,
      serialHex: p.serial.toString('hex').toUpperCase(),
      thumbprintHex: createHash('sha1').update(der).digest('hex').toUpperCase(),
      notBefore: p.notBefore,
      notAfter,
    }
  }

  /** Certs-only CMS SignedData (RFC 5652 §5, "degenerate" form): chain root → issuing → leaf. */
  pkcs7(leaf: Buffer): Buffer {
    const signedData = seq(
      int(1),
      set(),
      seq(oid('1.2.840.113549.1.7.1')),
      tlv(0xa0, this.rootCert, this.issuingCert, leaf),
      set(),
    )
    return seq(oid('1.2.840.113549.1.7.2'), ctx(0, signedData))
  }
}
