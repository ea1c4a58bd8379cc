import { id_data, id_encryptedData } from '@peculiar/asn1-cms'
import type { ContentInfo } from '@peculiar/asn1-cms'
import {
  AuthenticatedSafe,
  CertBag,
  PFX,
  PKCS8ShroudedKeyBag,
  SafeContents,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_SafeContents,
  id_x509Certificate,
} from '@peculiar/asn1-pfx'
import type { SafeBag } from '@peculiar/asn1-pfx'
import { id_pkcs9_at_localKeyId } from '@peculiar/asn1-pkcs9'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { StationError } from '../../../shared/errors'
import { CmsEncryptedData, MAC_HASHES, bmpPassword, pbeDecrypt, pkcs12Kdf } from './pbe'

/** Output sizes of the MAC hashes (RFC 7292 B.4: the MAC key is as long as the hash). */
const HASH_BYTES: Readonly<Record<string, number>> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
}

/** What a PKCS#12 file holds, in file order. Private keys are DER PKCS#8; the caller zeroes them. */
export interface PfxContents {
  keys: Array<{ pkcs8: Buffer; localKeyId: Buffer | null }>
  certificates: Array<{ der: Buffer; localKeyId: Buffer | null }>
}

function unreadable(why: string): StationError {
  return new StationError('certificate-unreadable', {}, `PFX: ${why}`)
}

function octets(der: ArrayBuffer): Buffer {
  return Buffer.from(AsnConvert.parse(der, OctetString).buffer)
}

/** The content octets of an id-data ContentInfo (`[0] EXPLICIT OCTET STRING`). */
function dataOf(ci: ContentInfo): Buffer {
  if (ci.contentType !== id_data) throw unreadable(`content type ${ci.contentType} where data was expected`)
  return octets(ci.content)
}

/** RFC 7292 §5.1 step 4: the HMAC over the AuthenticatedSafe proves the password (and the integrity). */
function checkMac(pfx: PFX, authSafe: Buffer, password: string): void {
  const mac = pfx.macData
  // A PFX without MAC relies on the bag encryption alone; a wrong password then fails on decryption.
  if (!mac) return
  const hash = MAC_HASHES[mac.mac.digestAlgorithm.algorithm]
  if (!hash) throw unreadable(`MAC hash ${mac.mac.digestAlgorithm.algorithm} is not supported`)
  const pw = bmpPassword(password)
  const key = pkcs12Kdf(hash, pw, new Uint8Array(mac.macSalt.buffer), 3, mac.iterations, HASH_BYTES[hash]!)
  pw.fill(0)
  const expected = createHmac(hash, key).update(authSafe).digest()
  key.fill(0)
  const given = Buffer.from(mac.mac.digest.buffer)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unreadable('MAC mismatch (wrong password or damaged file)')
  }
}

function localKeyIdOf(bag: SafeBag): Buffer | null {
  const attr = bag.bagAttributes?.find((a) => a.attrId === id_pkcs9_at_localKeyId)
  const value = attr?.attrValues[0]
  return value ? octets(value) : null
}

function decryptSafe(ci: ContentInfo, password: string): Buffer {
  const enc = AsnConvert.parse(ci.content, CmsEncryptedData).encryptedContentInfo
  const content = enc.encryptedContent
  const data = content?.value
    ? Buffer.from(content.value.buffer)
    : Buffer.concat((content?.constructedValue ?? []).map((o) => Buffer.from(o.buffer)))
  return pbeDecrypt(enc.contentEncryptionAlgorithm, password, data)
}

function readBags(bags: SafeContents, password: string, out: PfxContents): void {
  for (const bag of bags) {
    switch (bag.bagId) {
      case id_certBag: {
        const cert = AsnConvert.parse(bag.bagValue, CertBag)
        if (cert.certId === id_x509Certificate) {
          out.certificates.push({ der: octets(cert.certValue), localKeyId: localKeyIdOf(bag) })
        }
        break
      }
      case id_pkcs8ShroudedKeyBag: {
        const shrouded = AsnConvert.parse(bag.bagValue, PKCS8ShroudedKeyBag)
        const pkcs8 = pbeDecrypt(
          shrouded.encryptionAlgorithm,
          password,
          new Uint8Array(shrouded.encryptedData.buffer),
        )
        out.keys.push({ pkcs8, localKeyId: localKeyIdOf(bag) })
        break
      }
      case id_keyBag:
        out.keys.push({ pkcs8: Buffer.from(bag.bagValue), localKeyId: localKeyIdOf(bag) })
        break
      case id_SafeContents:
        readBags(AsnConvert.parse(bag.bagValue, SafeContents), password, out)
        break
      default:
        // CRL and secret bags carry nothing the station installs.
        break
    }
  }
}

/**
 * Open a PKCS#12 file (RFC 7292) with `password`: check the MAC, decrypt the encrypted SafeContents and the
 * shrouded keys (see ./pbe for the schemes), and return the keys and X.509 certificates. Throws
 * StationError('certificate-unreadable') for a malformed file, an unsupported scheme or a wrong password.
 */
export function readPfx(der: Uint8Array, password: string): PfxContents {
  const out: PfxContents = { keys: [], certificates: [] }
  try {
    const pfx = AsnConvert.parse(der, PFX)
    if (pfx.version !== 3) throw unreadable(`version ${pfx.version}`)
    const authSafe = dataOf(pfx.authSafe)
    checkMac(pfx, authSafe, password)
    for (const ci of AsnConvert.parse(authSafe, AuthenticatedSafe)) {
      const safe = ci.contentType === id_encryptedData ? decryptSafe(ci, password) : dataOf(ci)
      readBags(AsnConvert.parse(safe, SafeContents), password, out)
    }
    if (out.keys.length === 0) throw unreadable('no private key')
    return out
  } catch (error) {
    for (const k of out.keys) k.pkcs8.fill(0)
    if (error instanceof StationError) throw error
    throw unreadable((error as Error).message)
  }
}
