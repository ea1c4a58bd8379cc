import { constants, createPrivateKey, generateKeyPairSync, privateDecrypt, privateEncrypt } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { CommandApdu } from '../../services/card/apdu'
import { SW } from '../../services/card/apdu'
import { decodeTlv, decodeTlvs, encodeTlv, findTlv } from '../../services/card/tlv'
import type { CardContext, Reply } from './gids-context'
import { AM_UPDATE, allowed, fidKey, getEf, securityCondition, sw } from './gids-context'

/**
 * User key pairs of the virtual GIDS card (gids-card-edge.md §9, "Later" in §11): GENERATE, the
 * public-key read, MSE for sign/decipher and PSO. RSA only (algorithm ids 06–09 = 1024–4096 bits);
 * ECC ids 0A–0E answer 6A81. Keys live in key EF `B0<kid>` created by CREATE FILE (§9.2).
 */

const RSA_BITS: Partial<Record<number, number>> = { 0x06: 1024, 0x07: 2048, 0x08: 3072, 0x09: 4096 }
/** Access-mode bit 08 of a key EF: GENERATE (`8C 05 8F 10 10 10 00`, §9.2). */
const AM_GENERATE = 0x08

const keyEfId = (kid: number) => 0xb000 | kid

function privateKeyOf(ctx: CardContext, kid: number): { key: KeyObject; alg: number } | null {
  const k = getEf(ctx, keyEfId(kid))?.key
  if (!k) return null
  return {
    key: createPrivateKey({ key: Buffer.from(k.pkcs8, 'hex'), format: 'der', type: 'pkcs8' }),
    alg: k.alg,
  }
}

/** `7F 49 <len> 81 <modulus> 82 <exponent>` (§9.3). */
function publicKeyTemplate(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' })
  const n = Buffer.from(jwk.n!, 'base64url')
  const e = Buffer.from(jwk.e!, 'base64url')
  return encodeTlv(0x7f49, Buffer.concat([encodeTlv(0x81, n), encodeTlv(0x82, e)]))
}

/**
 * GENERATE ASYMMETRIC KEY PAIR `00 47 00 00 AC 06 80 01 <alg> 83 01 <kid> [Le]` (§9.3): the public
 * key template comes back only when Le is present (OpenSC sends none and ignores data).
 */
export function generateKeyPair(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0 || apdu.p2 !== 0) return sw(SW.INCORRECT_P1P2)
  const ac = decodeTlv(apdu.data)
  if (ac.tag !== 0xac) return sw(SW.DATA_INVALID)
  const alg = findTlv(ac.value, 0x80)
  const kid = findTlv(ac.value, 0x83)
  if (!alg || alg.length !== 1 || !kid || kid.length !== 1) return sw(SW.DATA_INVALID)
  const ef = getEf(ctx, keyEfId(kid[0]!))
  if (!ef || ef.kind !== 'key' || kid[0]! < 0x81) return sw(SW.DATA_INVALID)
  if (!ef.activated) return sw(SW.CONDITIONS_NOT_SATISFIED)
  if (!allowed(ctx, securityCondition(ef.acl, AM_GENERATE))) return sw(SW.SECURITY_NOT_SATISFIED)
  const bits = RSA_BITS[alg[0]!]
  if (!bits) return sw(SW.FUNC_NOT_SUPPORTED)
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 })
  ef.key = { alg: alg[0]!, pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex') }
  ctx.markDirty()
  ctx.log.info('virtual card: key pair generated', { kid: fidKey(kid[0]!), bits })
  return apdu.le === null ? sw(SW.OK) : { data: publicKeyTemplate(privateKey), sw: SW.OK }
}

/** GET DATA `3FFF` `70 08 84 01 <kid> A5 03 7F 49 80` → the public key template, or null if not that form. */
export function readPublicKey(ctx: CardContext, data: Buffer): Reply | null {
  let kid: Buffer | null
  try {
    const t = decodeTlv(data)
    if (t.tag !== 0x70) return null
    kid = findTlv(t.value, 0x84)
  } catch {
    return null
  }
  if (!kid || kid.length !== 1) return sw(SW.DATA_INVALID)
  const pair = privateKeyOf(ctx, kid[0]!)
  if (!pair) return sw(SW.REF_DATA_NOT_FOUND)
  return { data: publicKeyTemplate(pair.key), sw: SW.OK }
}

/**
 * True when the key EF's FCP has a usage template `<B6|B8> { 80 01 <alg> … }` for this operation and
 * algorithm byte (§9.2). Like GidsApplet, only the algorithm byte is matched, not the `83` key
 * reference inside (OpenSC writes `83` there for signature keys whatever the real one is).
 */
function templateAllows(fcpHex: string, crtTag: number, alg: number): boolean {
  try {
    const fcp = decodeTlv(Buffer.from(fcpHex, 'hex'))
    const a5 = findTlv(fcp.value, 0xa5)
    if (!a5) return false
    return decodeTlvs(a5).some((t) => t.tag === crtTag && findTlv(t.value, 0x80)?.[0] === alg)
  } catch {
    return false
  }
}

/**
 * MSE SET `00 22 41 B6|B8 80 01 <alg> 84 01 <kid>` for sign (B6) / decipher (B8) (§9.5, §9.6): the
 * key file must allow that use with that padding (a signature-only key refuses B8 with 6984).
 */
export function mseSetCrypto(ctx: CardContext, apdu: CommandApdu): Reply {
  const alg = findTlv(apdu.data, 0x80)
  const kid = findTlv(apdu.data, 0x84)
  if (!alg || alg.length !== 1 || !kid || kid.length !== 1) return sw(SW.DATA_INVALID)
  const pair = privateKeyOf(ctx, kid[0]!)
  if (!pair) return sw(SW.DATA_INVALID)
  if ((alg[0]! & 0x0f) !== pair.alg) return sw(SW.DATA_INVALID)
  if (!templateAllows(getEf(ctx, keyEfId(kid[0]!))!.fcp, apdu.p2, alg[0]!)) return sw(SW.DATA_INVALID)
  ctx.vol.crypto = { op: apdu.p2 === 0xb6 ? 'sign' : 'decipher', alg: alg[0]!, kid: kid[0]! }
  return sw(SW.OK)
}

/** PERFORM SECURITY OPERATION: `9E 9A` sign, `80 86` / `86 80` decipher; the user PIN must be verified. */
export function performSecurityOperation(ctx: CardContext, apdu: CommandApdu): Reply {
  const p1p2 = (apdu.p1 << 8) | apdu.p2
  const op = p1p2 === 0x9e9a ? 'sign' : p1p2 === 0x8086 || p1p2 === 0x8680 ? 'decipher' : null
  if (!op) return sw(SW.INCORRECT_P1P2)
  const env = ctx.vol.crypto
  if (!env || env.op !== op) return sw(SW.CONDITIONS_NOT_SATISFIED)
  if (!ctx.vol.pinVerified) return sw(SW.SECURITY_NOT_SATISFIED)
  const pair = privateKeyOf(ctx, env.kid)
  if (!pair) return sw(SW.CONDITIONS_NOT_SATISFIED)
  const size = (RSA_BITS[pair.alg] ?? 0) / 8
  const padding = env.alg & 0xf0
  try {
    if (op === 'sign') {
      // 5x: the card adds PKCS#1 v1.5 type-1 padding to the DigestInfo; 1x: the host sent the padded block.
      if (padding === 0x50)
        return {
          data: privateEncrypt({ key: pair.key, padding: constants.RSA_PKCS1_PADDING }, apdu.data),
          sw: SW.OK,
        }
      if (padding === 0x10 && apdu.data.length === size) {
        return {
          data: privateEncrypt({ key: pair.key, padding: constants.RSA_NO_PADDING }, apdu.data),
          sw: SW.OK,
        }
      }
      return sw(SW.CONDITIONS_NOT_SATISFIED)
    }
    if (apdu.data.length !== size) return sw(SW.WRONG_LENGTH)
    if (padding === 0x80) {
      return {
        data: privateDecrypt({ key: pair.key, padding: constants.RSA_PKCS1_OAEP_PADDING }, apdu.data),
        sw: SW.OK,
      }
    }
    const raw = privateDecrypt({ key: pair.key, padding: constants.RSA_NO_PADDING }, apdu.data)
    if (padding === 0x00) return { data: raw, sw: SW.OK }
    if (padding !== 0x40) return sw(SW.CONDITIONS_NOT_SATISFIED)
    // PKCS#1 v1.5 type 2, unpadded here: Node refuses RSA_PKCS1_PADDING for private decryption
    // (CVE-2023-46809); a simulator has no timing side channel to protect.
    const sep = raw.indexOf(0x00, 2)
    if (raw[0] !== 0x00 || raw[1] !== 0x02 || sep < 10) return sw(SW.DATA_INVALID)
    return { data: raw.subarray(sep + 1), sw: SW.OK }
  } catch {
    return sw(SW.DATA_INVALID)
  }
}

/** RSA-CRT fields of an RSAPrivateKey, in order (RFC 8017 A.1.2), with their JWK names. */
const RSA_FIELDS = ['version', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const

/**
 * The RSAPrivateKey SEQUENCE of INTEGERs, read as unsigned magnitudes: OpenSC encodes them without
 * the sign byte (its `gids_import_key` uses OCTET STRING fields with the INTEGER tag), so a strict
 * DER parser would take the modulus for a negative number. Null when it is not that structure.
 */
function parseRsaPrivateKey(der: Buffer): KeyObject | null {
  try {
    const seq = decodeTlv(der)
    if (seq.tag !== 0x30 || seq.end !== der.length) return null
    const ints = decodeTlvs(seq.value)
    if (ints.length < RSA_FIELDS.length || ints.some((t) => t.tag !== 0x02)) return null
    const jwk: Record<string, string> = { kty: 'RSA' }
    RSA_FIELDS.forEach((name, i) => {
      let v = ints[i]!.value
      while (v.length > 1 && v[0] === 0) v = v.subarray(1)
      if (name !== 'version') jwk[name] = v.toString('base64url')
    })
    const n = BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`)
    const p = BigInt(`0x${Buffer.from(jwk.p!, 'base64url').toString('hex')}`)
    const q = BigInt(`0x${Buffer.from(jwk.q!, 'base64url').toString('hex')}`)
    if (p * q !== n) return null
    return createPrivateKey({ key: jwk, format: 'jwk' })
  } catch {
    return null
  }
}

/**
 * PUT KEY of an RSA private key into user key `kid` (§6; OpenSC gids_import_key):
 * `A5 { 83 01 02 (RSA), 84 01 00 (not wrapped), 87 <RSAPrivateKey> }`. The key file must exist and be
 * activated, and its PUT KEY rule (the user PIN, §9.2) must be met. 1024–4096 bits.
 */
export function importUserKey(ctx: CardContext, kid: number, a5: Buffer): Reply {
  const ef = getEf(ctx, keyEfId(kid))
  if (!ef || ef.kind !== 'key') return sw(SW.REF_DATA_NOT_FOUND)
  if (!ef.activated) return sw(SW.CONDITIONS_NOT_SATISFIED)
  if (!allowed(ctx, securityCondition(ef.acl, AM_UPDATE))) return sw(SW.SECURITY_NOT_SATISFIED)
  const type = findTlv(a5, 0x83)
  if (!type || type.length !== 1 || type[0] !== 0x02) return sw(SW.FUNC_NOT_SUPPORTED)
  const wrap = findTlv(a5, 0x84)
  if (wrap && (wrap.length !== 1 || wrap[0] !== 0x00)) return sw(SW.FUNC_NOT_SUPPORTED)
  const value = findTlv(a5, 0x87)
  const key = value && parseRsaPrivateKey(value)
  if (!key) return sw(SW.DATA_INVALID)
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  const alg = Object.entries(RSA_BITS).find(([, b]) => b === bits)?.[0]
  if (alg === undefined) return sw(SW.FUNC_NOT_SUPPORTED)
  ef.key = { alg: Number(alg), pkcs8: key.export({ format: 'der', type: 'pkcs8' }).toString('hex') }
  ctx.markDirty()
  ctx.log.info('virtual card: key pair imported', { kid: fidKey(kid), bits })
  return sw(SW.OK)
}
