import { ContentInfo, id_data } from '@peculiar/asn1-cms'
import {
  AuthenticatedSafe,
  CertBag,
  MacData,
  PFX,
  PKCS12Attribute,
  PKCS8ShroudedKeyBag,
  SafeBag,
  SafeContents,
  id_certBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
} from '@peculiar/asn1-pfx'
import { EncryptedData } from '@peculiar/asn1-pkcs8'
import { LocalKeyId, id_pkcs9_at_localKeyId } from '@peculiar/asn1-pkcs9'
import { DigestInfo } from '@peculiar/asn1-rsa'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'
import { createHash, createHmac, createPrivateKey, createPublicKey } from 'node:crypto'
import { bmpPassword, pbes2Encrypt, pkcs12Kdf } from '../../../services/pki/pbe'
import type { SeededRng } from '../rng'
import { SERVER_KEY_POOL } from './server-keys'

/**
 * Server-generated key entries of E10 (`isPfx`, SIM-B6): a PKCS#12 (RFC 7292) holding the certificate and a
 * PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC shrouded key, MAC'd with HMAC-SHA256 (OpenSSL 3's default form). Salts
 * and IVs come from the seeded RNG so the bytes are reproducible (SIM-D1). `openssl pkcs12` reads it with the
 * pfxpassword; so does the station's `readIssuedCertificates`.
 */

const ITERATIONS = 2048
const SHA256 = '2.16.840.1.101.3.4.2.1'

/**
 * A "server-generated" RSA-2048 key pair, picked by the seeded RNG from a fixed pool (server-keys.ts): an RSA key a
 * smart card can import, reproducible per seed (SIM-D1). DER PKCS#8 (the caller zeroes it) and DER SPKI.
 */
export function serverGeneratedKey(rng: SeededRng): { pkcs8: Buffer; spki: Buffer } {
  const pick = rng.bytes('server-key', 1)[0]! % SERVER_KEY_POOL.length
  const pkcs8 = Buffer.from(SERVER_KEY_POOL[pick]!, 'base64')
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
    format: 'der',
    type: 'spki',
  })
  return { pkcs8, spki }
}

function dataContentInfo(content: ArrayBuffer): ContentInfo {
  return new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(content)) })
}

/** Build a PFX holding `certDer` and the private key `pkcs8`, protected with `password`. */
export function buildPfx(rng: SeededRng, pkcs8: Buffer, certDer: Buffer, password: string): Buffer {
  // localKeyId pairs the key with its certificate (RFC 7292 §4.2); the certificate's SHA-1, as Windows does.
  // Assigned after construction: PKCS12Attribute's constructor drops its params (@peculiar/asn1-pfx 2.11.1).
  const attrs = [
    Object.assign(new PKCS12Attribute(), {
      attrId: id_pkcs9_at_localKeyId,
      attrValues: [AsnConvert.serialize(new LocalKeyId(createHash('sha1').update(certDer).digest()))],
    }),
  ]
  const certBag = new SafeBag({
    bagId: id_certBag,
    bagValue: AsnConvert.serialize(
      new CertBag({
        certId: id_x509Certificate,
        certValue: AsnConvert.serialize(new OctetString(certDer)),
      }),
    ),
    bagAttributes: attrs,
  })
  const salt = rng.bytes('pfx', 16)
  const iv = rng.bytes('pfx', 16)
  const shrouded = pbes2Encrypt(pkcs8, password, salt, iv, ITERATIONS)
  const keyBag = new SafeBag({
    bagId: id_pkcs8ShroudedKeyBag,
    bagValue: AsnConvert.serialize(
      new PKCS8ShroudedKeyBag({
        encryptionAlgorithm: shrouded.algorithm,
        encryptedData: new EncryptedData(shrouded.data),
      }),
    ),
    bagAttributes: attrs,
  })
  const authSafe = Buffer.from(
    AsnConvert.serialize(
      new AuthenticatedSafe([
        dataContentInfo(AsnConvert.serialize(new SafeContents([certBag]))),
        dataContentInfo(AsnConvert.serialize(new SafeContents([keyBag]))),
      ]),
    ),
  )
  const macSalt = rng.bytes('pfx', 16)
  const pw = bmpPassword(password)
  const macKey = pkcs12Kdf('sha256', pw, macSalt, 3, ITERATIONS, 32)
  pw.fill(0)
  const mac = createHmac('sha256', macKey).update(authSafe).digest()
  macKey.fill(0)
  const pfx = new PFX({
    version: 3,
    authSafe: dataContentInfo(Uint8Array.from(authSafe).buffer),
    macData: new MacData({
      mac: new DigestInfo({
        digestAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256, parameters: null }),
        digest: new OctetString(mac),
      }),
      macSalt: new OctetString(macSalt),
      iterations: ITERATIONS,
    }),
  })
  return Buffer.from(AsnConvert.serialize(pfx))
}
