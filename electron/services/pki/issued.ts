import { AsnConvert } from '@peculiar/asn1-schema'
import { BasicConstraints, id_ce_basicConstraints } from '@peculiar/asn1-x509'
import type { Certificate } from '@peculiar/asn1-x509'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { CmIssuedCertificate } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { parseCertificate, samePublicKey } from './certificate-info'
import { readSignedData } from './cms'
import { sameName } from './name'
import { readPfx } from './pfx'
import type { PfxContents } from './pfx'

/** One entry of an E10 answer (cm-rest-api.md E10, Q9), read. */
export type IssuedEntry =
  | {
      kind: 'certificate'
      index: number
      templateName: string
      endEntity: Buffer
      chain: Buffer[]
      /** Index into opts.publicKeys whose SPKI equals the end-entity key, or null (external/extra cert). */
      keyIndex: number | null
      external: boolean
    }
  | {
      kind: 'pfx'
      index: number
      templateName: string
      /** PKCS#8 DER — the caller zeroes it. */
      privateKey: Buffer
      certificate: Buffer
      chain: Buffer[]
    }
  | { kind: 'error'; index: number; templateName: string; message: string }

interface Parsed {
  der: Buffer
  cert: Certificate
}

function unreadable(why: string): StationError {
  return new StationError('certificate-unreadable', {}, why)
}

/** Base64 with or without CRLF every 64 characters (Q9); anything else is unreadable. */
function decodeBase64(text: string, what: string): Buffer {
  const s = text.replace(/\s+/g, '')
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    throw unreadable(`${what} is not base64`)
  }
  return Buffer.from(s, 'base64')
}

function parseAll(ders: Buffer[]): Parsed[] {
  return ders.map((der) => ({ der, cert: parseCertificate(der) }))
}

function spkiOf(p: Parsed): Buffer {
  return Buffer.from(AsnConvert.serialize(p.cert.tbsCertificate.subjectPublicKeyInfo))
}

function isCa(p: Parsed): boolean {
  const ext = p.cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_basicConstraints)
  return ext ? AsnConvert.parse(ext.extnValue, BasicConstraints).cA : false
}

/** True when `issuer`'s subject is `subject`'s issuer name (and they are not the same certificate). */
function issued(issuer: Parsed, subject: Parsed): boolean {
  return (
    issuer !== subject && sameName(issuer.cert.tbsCertificate.subject, subject.cert.tbsCertificate.issuer)
  )
}

function selfSigned(p: Parsed): boolean {
  return sameName(p.cert.tbsCertificate.subject, p.cert.tbsCertificate.issuer)
}

/** A certificate that is neither a CA nor the issuer of another one in the set (the leaf by shape). */
function leafByShape(certs: Parsed[]): Parsed | undefined {
  const notIssuer = certs.filter((c) => !certs.some((o) => issued(c, o)))
  return notIssuer.find((c) => !isCa(c)) ?? notIssuer[0] ?? certs.find((c) => !isCa(c))
}

/** The other certificates, leaf → root along the issuer names first, then any that are not on the path. */
function chainOf(leaf: Parsed, certs: Parsed[]): Buffer[] {
  const rest = certs.filter((c) => c !== leaf)
  const path: Parsed[] = []
  let current = leaf
  while (!selfSigned(current)) {
    const next = rest.find((c) => !path.includes(c) && issued(c, current))
    if (!next) break
    path.push(next)
    current = next
  }
  return [...path, ...rest.filter((c) => !path.includes(c))].map((c) => c.der)
}

function readPkcs7Entry(
  item: CmIssuedCertificate,
  index: number,
  publicKeys: readonly Uint8Array[],
): IssuedEntry {
  const signed = readSignedData(decodeBase64(item.pkcs7 ?? '', `Pkcs7 of entry ${index}`))
  const certs = parseAll(signed.certificates)
  let leaf: Parsed | undefined
  let keyIndex: number | null = null
  for (const c of certs) {
    const spki = spkiOf(c)
    const k = publicKeys.findIndex((pk) => samePublicKey(pk, spki))
    if (k >= 0) {
      leaf = c
      keyIndex = k
      break
    }
  }
  leaf ??= leafByShape(certs)
  if (!leaf) throw unreadable(`Pkcs7 of entry ${index} holds no certificate`)
  return {
    kind: 'certificate',
    index,
    templateName: item.templateCommonName,
    endEntity: leaf.der,
    chain: chainOf(leaf, certs),
    keyIndex,
    external: item.isExternal,
  }
}

function readPfxEntry(item: CmIssuedCertificate, index: number, password: string): IssuedEntry {
  const contents = readPfx(decodeBase64(item.pfx ?? '', `Pfx of entry ${index}`), password)
  // readPfx guarantees one key at least; a second one has no certificate entry of its own here.
  const [key, ...others] = contents.keys as [PfxContents['keys'][number], ...PfxContents['keys']]
  for (const k of others) k.pkcs8.fill(0)
  try {
    const certs = parseAll(contents.certificates.map((c) => c.der))
    const publicKey = createPublicKey(
      createPrivateKey({ key: key.pkcs8, format: 'der', type: 'pkcs8' }),
    ).export({
      format: 'der',
      type: 'spki',
    })
    const keyId = key.localKeyId
    const byKeyId = keyId ? contents.certificates.findIndex((c) => c.localKeyId?.equals(keyId) ?? false) : -1
    const certificate =
      certs.find((c) => samePublicKey(spkiOf(c), publicKey)) ?? certs[byKeyId] ?? leafByShape(certs)
    if (!certificate) throw unreadable(`Pfx of entry ${index} holds no certificate`)
    return {
      kind: 'pfx',
      index,
      templateName: item.templateCommonName,
      privateKey: key.pkcs8,
      certificate: certificate.der,
      chain: chainOf(certificate, certs),
    }
  } catch (error) {
    key.pkcs8.fill(0)
    if (error instanceof StationError) throw error
    throw unreadable(`Pfx of entry ${index}: ${(error as Error).message}`)
  }
}

/**
 * Read every `Certificate` of an E10 answer (Q9), including entries beyond the CSRs sent (the caller decides what
 * to do with them). `isPkcs7` → the CMS SignedData (CMC full response or certs-only): the end entity is the
 * certificate whose key is one of `publicKeys` (else the one that is no CA and issues no other), the chain the
 * rest leaf → root. `isPfx` → the PKCS#12 opened with `pfxPassword`; its private key is PKCS#8 DER the caller
 * zeroes. `Error` non-null → an 'error' entry. Throws StationError('certificate-unreadable') when an entry cannot
 * be read (bad base64/DER, wrong password, unsupported PFX encryption, neither form); private keys already read
 * are zeroed then.
 */
export function readIssuedCertificates(
  items: readonly CmIssuedCertificate[],
  opts: { publicKeys: readonly Uint8Array[]; pfxPassword: string },
): IssuedEntry[] {
  const out: IssuedEntry[] = []
  try {
    items.forEach((item, index) => {
      const templateName = item.templateCommonName
      if (item.error !== null) out.push({ kind: 'error', index, templateName, message: item.error })
      else if (item.isPfx && item.pfx) out.push(readPfxEntry(item, index, opts.pfxPassword))
      else if (item.isPkcs7 && item.pkcs7) out.push(readPkcs7Entry(item, index, opts.publicKeys))
      else throw unreadable(`entry ${index} has neither a Pkcs7 nor a Pfx`)
    })
    return out
  } catch (error) {
    for (const e of out) if (e.kind === 'pfx') e.privateKey.fill(0)
    throw error
  }
}
