import type { ApduFields } from './apdu'
import { APP_DF } from './gids-commands'
import { encodeTlv } from './tlv'
import type { KeyUsageKind } from './types'

/**
 * GIDS command APDUs for user keys and minidriver files (gids-card-edge.md §4.1, §9). Builders that
 * take a secret return fields whose `data` is a fresh buffer the caller must zeroize after use.
 */

/** Key EF id of a user key reference: `B0<kid>` (§1). */
export const keyEf = (keyRef: number): number => 0xb000 | keyRef

/** PUT DATA of one DO: `00 DB <EF> <DO> <len> <value>` (chained by the session when long, §4.1). */
export function putData(ef: number, tag: number, value: Uint8Array): ApduFields {
  return { ins: 0xdb, p1: ef >> 8, p2: ef & 0xff, data: encodeTlv(tag, value) }
}

/** One usage template of the key EF: `<B6|B8> 09 80 01 <alg> 83 01 <kid> 95 01 40` (§9.2). */
function crt(tag: number, alg: number, keyRef: number): Buffer {
  return encodeTlv(tag, Buffer.from([0x80, 0x01, alg, 0x83, 0x01, keyRef, 0x95, 0x01, 0x40]))
}

/**
 * CREATE FILE of a user key EF (§9.2): file type 18, access `8C 05 8F 10 10 10 00` (GENERATE, MSE and
 * PUT KEY with the user PIN, public part readable by all). A key-exchange key gets the three decipher
 * templates (raw, OAEP `8x`, PKCS#1 `4x`) and both sign templates (`1x` host padding, `5x` card
 * padding); a signature key only the two sign templates. Unlike OpenSC's template we write the real
 * key reference in the sign templates (OpenSC's fixed `83` is a quirk, §9.2).
 */
export function createKeyFile(keyRef: number, alg: number, usage: KeyUsageKind): ApduFields {
  const templates = [
    ...(usage === 'key-exchange'
      ? [crt(0xb8, alg, keyRef), crt(0xb8, 0x80 | alg, keyRef), crt(0xb8, 0x40 | alg, keyRef)]
      : []),
    crt(0xb6, 0x10 | alg, keyRef),
    crt(0xb6, 0x50 | alg, keyRef),
  ]
  const ef = keyEf(keyRef)
  const body = Buffer.concat([
    encodeTlv(0x82, Buffer.from([0x18])),
    encodeTlv(0x83, Buffer.from([ef >> 8, ef & 0xff])),
    encodeTlv(0x8c, Buffer.from([0x8f, 0x10, 0x10, 0x10, 0x00])),
    encodeTlv(0xa5, Buffer.concat(templates)),
  ])
  return { ins: 0xe0, p1: 0, p2: 0, data: encodeTlv(0x62, body) }
}

/** ACTIVATE FILE of the current EF, 4-byte case 1 as OpenSC sends it (§2, §9.2). */
export function activateFile(): ApduFields {
  return { ins: 0x44, p1: 0, p2: 0 }
}

/** SELECT an EF by file id, no answer data: `00 A4 00 0C 02 <FID>` (OpenSC's key-file select, §3.1). */
export function selectEf(fid: number): ApduFields {
  return { ins: 0xa4, p1: 0x00, p2: 0x0c, data: Buffer.from([fid >> 8, fid & 0xff]) }
}

/** DELETE FILE of the current EF: `00 E4 00 00` (OpenSC gids_delete_key_file via iso7816_delete_file). */
export function deleteCurrentFile(): ApduFields {
  return { ins: 0xe4, p1: 0, p2: 0 }
}

/** GENERATE ASYMMETRIC KEY PAIR `00 47 00 00 08 AC 06 80 01 <alg> 83 01 <kid>`, no Le, as OpenSC (§9.3). */
export function generateKeyPair(keyRef: number, alg: number): ApduFields {
  return { ins: 0x47, p1: 0, p2: 0, data: Buffer.from([0xac, 0x06, 0x80, 0x01, alg, 0x83, 0x01, keyRef]) }
}

/** Read a public key: `00 CB 3F FF 0A 70 08 84 01 <kid> A5 03 7F 49 80 00` (§9.3). */
export function readPublicKey(keyRef: number): ApduFields {
  const data = Buffer.from([0x70, 0x08, 0x84, 0x01, keyRef, 0xa5, 0x03, 0x7f, 0x49, 0x80])
  return { ins: 0xcb, p1: APP_DF >> 8, p2: APP_DF & 0xff, data, le: 256 }
}

/** MSE SET for signing with card-side PKCS#1 v1.5: `00 22 41 B6 06 80 01 <50|alg> 84 01 <kid>` (§9.5). */
export function mseSign(keyRef: number, alg: number): ApduFields {
  return { ins: 0x22, p1: 0x41, p2: 0xb6, data: Buffer.from([0x80, 0x01, 0x50 | alg, 0x84, 0x01, keyRef]) }
}

/** PSO COMPUTE DIGITAL SIGNATURE: `00 2A 9E 9A <DigestInfo> 00` (§9.5). */
export function psoSign(digestInfo: Uint8Array): ApduFields {
  return { ins: 0x2a, p1: 0x9e, p2: 0x9a, data: digestInfo, le: 256 }
}

/**
 * Import an RSA private key into key `kid` (OpenSC `gids_import_key`, §6): PUT DATA 3FFF
 * `70 { 84 01 <kid>, A5 { 83 01 02 (RSA), 84 01 00 (not wrapped), 87 <RSAPrivateKey DER> } }`,
 * chained. Secret data: the caller zeroes `data` after the exchange.
 */
export function importRsaKey(keyRef: number, rsaPrivateKey: Uint8Array): ApduFields {
  const value = encodeTlv(0x87, rsaPrivateKey)
  const template = Buffer.concat([Buffer.from([0x83, 0x01, 0x02, 0x84, 0x01, 0x00]), value])
  const a5 = encodeTlv(0xa5, template)
  const body = Buffer.concat([Buffer.from([0x84, 0x01, keyRef]), a5])
  const data = encodeTlv(0x70, body)
  value.fill(0)
  template.fill(0)
  a5.fill(0)
  body.fill(0)
  return { ins: 0xdb, p1: APP_DF >> 8, p2: APP_DF & 0xff, data }
}
