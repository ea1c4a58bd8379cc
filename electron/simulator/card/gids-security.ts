import { timingSafeEqual } from 'node:crypto'
import type { CommandApdu } from '../../services/card/apdu'
import { SW, swTriesLeft } from '../../services/card/apdu'
import { decodeTlv, encodeTlv, encodeTlvs, findTlv } from '../../services/card/tlv'
import {
  keyCheckValue,
  tdesCbcDecrypt,
  tdesCbcEncrypt,
  tdesEcbDecrypt,
  zeroize,
} from '../../services/crypto/des'
import type { CardContext, Reply } from './gids-context'
import { importUserKey, mseSetCrypto, readPublicKey } from './gids-keys'
import { AM_UPDATE, allowed, getEf, securityCondition, sw } from './gids-context'

/**
 * PIN and admin-key commands of the virtual GIDS card (gids-card-edge.md §5, §6, §7):
 * VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, MSE, GENERAL AUTHENTICATE, PUT KEY, DO 7F71.
 * Only three-key 3DES admin keys: AES admin keys are not established (§5.1, §12). No PUK (7F73 → 6A88):
 * unblocking goes through the admin key, as on a TPM VSC created without a PUK (§7.1).
 */

const ADMIN_KEY_REF = 0x80
const USER_PIN_REF = 0x80
const ADMIN_KEY_EF = 0xb080

const equal = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b)

function pinBlocked(ctx: CardContext): boolean {
  return ctx.state.pin.triesLeft === 0
}

function pinLengthOk(ctx: CardContext, n: number): boolean {
  return n >= ctx.state.pin.minLength && n <= ctx.state.pin.maxLength
}

/** Compare a presented PIN; counts a failure (§7.2: 63Cx with tries left, then 6983 once blocked). */
function checkPin(ctx: CardContext, presented: Buffer): Reply {
  const pin = ctx.state.pin
  if (pin.value === null) return sw(SW.REF_DATA_NOT_FOUND)
  if (pinBlocked(ctx)) return sw(SW.AUTH_METHOD_BLOCKED)
  // Length outside the policy: 63Cx without decrementing (GidsApplet, §7.2).
  if (!pinLengthOk(ctx, presented.length)) return sw(swTriesLeft(pin.triesLeft))
  const stored = Buffer.from(pin.value, 'hex')
  const ok = equal(stored, presented)
  zeroize(stored)
  if (!ok) {
    pin.triesLeft = Math.max(0, pin.triesLeft - 1)
    ctx.vol.pinVerified = false
    ctx.markDirty()
    return sw(swTriesLeft(pin.triesLeft))
  }
  if (pin.triesLeft !== pin.limit) {
    pin.triesLeft = pin.limit
    ctx.markDirty()
  }
  return sw(SW.OK)
}

function setPin(ctx: CardContext, value: Buffer): void {
  ctx.state.pin.value = value.toString('hex')
  ctx.state.pin.triesLeft = ctx.state.pin.limit
  ctx.markDirty()
}

/** VERIFY `00 20 00 80 <PIN>`, `00 20 00 80` (status), `00 20 00 82` (logout) (§7.2). */
export function verify(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0) return sw(SW.INCORRECT_P1P2)
  if (apdu.p2 === 0x82) {
    ctx.vol.pinVerified = false
    ctx.vol.adminAuthenticated = false
    ctx.dropChallenge()
    return sw(SW.OK)
  }
  if (apdu.p2 !== USER_PIN_REF && apdu.p2 !== 0x00) return sw(SW.REF_DATA_NOT_FOUND)
  if (ctx.state.pin.value === null) return sw(SW.REF_DATA_NOT_FOUND)
  if (apdu.data.length === 0) {
    // ISO semantics (§7.2 [inference]): 9000 when verified; GidsApplet answers 9000 during initialisation.
    if (ctx.vol.pinVerified || ctx.state.lifeCycle === 'initialisation') return sw(SW.OK)
    return sw(pinBlocked(ctx) ? SW.AUTH_METHOD_BLOCKED : swTriesLeft(ctx.state.pin.triesLeft))
  }
  const r = checkPin(ctx, apdu.data)
  ctx.vol.pinVerified = r.sw === SW.OK
  return r
}

/** CHANGE REFERENCE DATA `00 24 01 80 <new>` (set) and `00 24 00 80 <old‖new>` (change) (§7.4). */
export function changeReferenceData(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p2 !== USER_PIN_REF && apdu.p2 !== 0x00) return sw(SW.REF_DATA_NOT_FOUND)
  if (apdu.p1 === 0x01) {
    const allowedToSet =
      ctx.state.lifeCycle === 'initialisation' || ctx.vol.pinVerified || ctx.state.pin.value === null
    if (!allowedToSet) return sw(SW.SECURITY_NOT_SATISFIED)
    if (!pinLengthOk(ctx, apdu.data.length)) return sw(SW.WRONG_LENGTH)
    setPin(ctx, apdu.data)
    return sw(SW.OK)
  }
  if (apdu.p1 !== 0x00) return sw(SW.INCORRECT_P1P2)
  const stored = ctx.state.pin.value
  if (stored === null) return sw(SW.REF_DATA_NOT_FOUND)
  if (pinBlocked(ctx)) return sw(SW.AUTH_METHOD_BLOCKED)
  const oldLen = stored.length / 2 // the card knows the stored length: no separator (§7.4)
  if (apdu.data.length <= oldLen) {
    // Too short to hold old‖new: a wrong old PIN as far as the counter goes.
    return checkPin(ctx, apdu.data.subarray(0, Math.min(apdu.data.length, oldLen)))
  }
  const r = checkPin(ctx, apdu.data.subarray(0, oldLen))
  if (r.sw !== SW.OK) return r
  const next = apdu.data.subarray(oldLen)
  if (!pinLengthOk(ctx, next.length)) return sw(SW.WRONG_LENGTH)
  setPin(ctx, next)
  return sw(SW.OK)
}

/** RESET RETRY COUNTER `00 2C 02 80 <new PIN>` under admin authentication; drops the admin after (§7.5). */
export function resetRetryCounter(ctx: CardContext, apdu: CommandApdu): Reply {
  if (ctx.state.lifeCycle === 'initialisation') return sw(SW.COMMAND_NOT_ALLOWED)
  if (apdu.p1 !== 0x02) return sw(SW.INCORRECT_P1P2)
  if (apdu.p2 !== USER_PIN_REF) return sw(SW.REF_DATA_NOT_FOUND)
  if (!ctx.vol.adminAuthenticated) return sw(SW.SECURITY_NOT_SATISFIED)
  if (!pinLengthOk(ctx, apdu.data.length)) return sw(SW.WRONG_LENGTH)
  setPin(ctx, apdu.data)
  ctx.vol.adminAuthenticated = false
  ctx.vol.pinVerified = false
  return sw(SW.OK)
}

/** MSE `00 22 (81|C1) A4 03 83 01 80` (§5.2) and `00 22 41 B6|B8` for user keys (§9.5). Others: 6A81. */
export function manageSecurityEnvironment(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 === 0x41 && (apdu.p2 === 0xb6 || apdu.p2 === 0xb8)) return mseSetCrypto(ctx, apdu)
  if (apdu.p1 !== 0x81 && apdu.p1 !== 0xc1) return sw(SW.FUNC_NOT_SUPPORTED)
  if (apdu.p2 !== 0xa4) return sw(SW.FUNC_NOT_SUPPORTED)
  const ref = findTlv(apdu.data, 0x83)
  if (!ref || ref.length !== 1 || ref[0] !== ADMIN_KEY_REF || !getEf(ctx, ADMIN_KEY_EF)) {
    return sw(SW.DATA_INVALID)
  }
  ctx.vol.mseKey = ADMIN_KEY_REF
  return sw(SW.OK)
}

function adminFailed(ctx: CardContext): Reply {
  const a = ctx.state.admin
  if (a.limit !== null && a.triesLeft !== null) {
    a.triesLeft = Math.max(0, a.triesLeft - 1)
    ctx.markDirty()
  }
  ctx.log.info('virtual card: admin authentication failed')
  return sw(SW.SECURITY_NOT_SATISFIED)
}

function adminSucceeded(ctx: CardContext): void {
  ctx.vol.adminAuthenticated = true
  const a = ctx.state.admin
  if (a.limit !== null && a.triesLeft !== a.limit) {
    a.triesLeft = a.limit
    ctx.markDirty()
  }
}

/** GENERAL AUTHENTICATE `00 87 00 00 7C …`: external (`81 00` / `82 08`) and mutual (`81 10` / `82 28`). */
export function generalAuthenticate(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0 || apdu.p2 !== 0) return sw(SW.INCORRECT_P1P2)
  if (ctx.state.lifeCycle === 'initialisation') return sw(SW.COMMAND_NOT_ALLOWED)
  const outer = decodeTlv(apdu.data)
  if (outer.tag !== 0x7c || outer.end !== apdu.data.length) return sw(SW.DATA_INVALID)
  const inner = decodeTlv(outer.value)
  if (inner.end !== outer.value.length) return sw(SW.DATA_INVALID)
  if (ctx.vol.mseKey !== ADMIN_KEY_REF || ctx.state.adminKey === null) {
    return sw(SW.CONDITIONS_NOT_SATISFIED) // §5.5: no MSE, no key to check against
  }
  if (ctx.state.admin.triesLeft === 0) return sw(SW.AUTH_METHOD_BLOCKED)
  if (inner.tag === 0x81) return startChallenge(ctx, inner.value)
  if (inner.tag === 0x82) return answerChallenge(ctx, inner.value)
  return sw(SW.DATA_INVALID)
}

function startChallenge(ctx: CardContext, r1: Buffer): Reply {
  ctx.dropChallenge() // any new 81 replaces the pending challenge (§10.2)
  if (r1.length === 0) {
    const challenge = ctx.random(8)
    ctx.vol.pending = { kind: 'external', challenge }
    return { data: encodeTlv(0x7c, encodeTlv(0x81, challenge)), sw: SW.OK }
  }
  if (r1.length !== 16) return sw(SW.DATA_INVALID)
  const r2 = ctx.random(16)
  ctx.vol.pending = { kind: 'mutual', r1: Buffer.from(r1), r2 }
  return { data: encodeTlv(0x7c, encodeTlv(0x81, r2)), sw: SW.OK }
}

function answerChallenge(ctx: CardContext, cryptogram: Buffer): Reply {
  const pending = ctx.vol.pending
  if (!pending) return sw(SW.CONDITIONS_NOT_SATISFIED) // includes a replayed response (§5.5)
  const key = Buffer.from(ctx.state.adminKey!, 'hex')
  try {
    if (pending.kind === 'external') {
      // R = 3DES-ECB(K, C). Accept 8..40 bytes and compare the first block: covers clients using
      // ISO 9797-1 method-2 padding (TPM VSC alg 82; §5.5 [inference], §5.6 second row).
      if (cryptogram.length < 8 || cryptogram.length > 40 || cryptogram.length % 8) return adminFailed(ctx)
      const plain = tdesEcbDecrypt(key, cryptogram.subarray(0, 8))
      const ok = equal(plain, pending.challenge)
      zeroize(plain)
      if (!ok) return adminFailed(ctx)
      adminSucceeded(ctx)
      return sw(SW.OK)
    }
    // Mutual step 4 (§5.3): D(K, X) = R2 ‖ R1 ‖ Z1 ‖ 80, then answer E(K, R1 ‖ R2 ‖ Z2 ‖ 80).
    if (cryptogram.length !== 40) return adminFailed(ctx)
    const plain = tdesCbcDecrypt(key, cryptogram)
    const ok =
      equal(plain.subarray(0, 16), pending.r2) &&
      equal(plain.subarray(16, 32), pending.r1) &&
      plain[39] === 0x80
    zeroize(plain)
    if (!ok) return adminFailed(ctx)
    const block = Buffer.concat([pending.r1, pending.r2, ctx.random(7), Buffer.from([0x80])])
    const answer = tdesCbcEncrypt(key, block)
    zeroize(block)
    adminSucceeded(ctx)
    return { data: encodeTlv(0x7c, encodeTlv(0x82, answer)), sw: SW.OK }
  } finally {
    zeroize(key)
    ctx.dropChallenge() // single-use whatever the outcome (§5.5)
  }
}

/**
 * PUT KEY `00 DB 3F FF 70{84 01 80, A5{87 18 key, 88 03 kcv}}` (§6), or an RSA key import into a
 * user key `70{84 01 <kid ≥ 81>, A5{83 01 02, 84 01 00, 87 <RSAPrivateKey>}}`. Any KCV is accepted because
 * OpenSC always sends B073DC; a mismatch is logged (without key material). Admin stays authenticated
 * after the change, like GidsApplet (§6; real cards: not established, §12).
 */
export function putKey(ctx: CardContext, apdu: CommandApdu): Reply {
  const tmpl = decodeTlv(apdu.data)
  if (tmpl.tag !== 0x70 || tmpl.end !== apdu.data.length) return sw(SW.DATA_INVALID)
  const ref = findTlv(tmpl.value, 0x84)
  const a5 = findTlv(tmpl.value, 0xa5)
  if (!ref || ref.length !== 1 || !a5) return sw(SW.DATA_INVALID)
  if (ref[0]! >= 0x81) return importUserKey(ctx, ref[0]!, a5) // RSA import (§6, OpenSC gids_import_key)
  if (ref[0] !== ADMIN_KEY_REF) return sw(SW.REF_DATA_NOT_FOUND)
  const keyEf = getEf(ctx, ADMIN_KEY_EF)
  if (!keyEf) return sw(SW.FILE_NOT_FOUND)
  if (!keyEf.activated && ctx.state.lifeCycle !== 'initialisation') return sw(SW.CONDITIONS_NOT_SATISFIED)
  if (!allowed(ctx, securityCondition(keyEf.acl, AM_UPDATE))) return sw(SW.SECURITY_NOT_SATISFIED)
  const type = findTlv(a5, 0x83)
  if (type && (type.length !== 1 || type[0] !== 0x01)) return sw(SW.FUNC_NOT_SUPPORTED)
  const wrap = findTlv(a5, 0x84)
  if (wrap && (wrap.length !== 1 || wrap[0] !== 0x00)) return sw(SW.FUNC_NOT_SUPPORTED)
  const key = findTlv(a5, 0x87)
  if (!key || key.length !== 24) return sw(SW.DATA_INVALID)
  const kcv = findTlv(a5, 0x88)
  const real = keyCheckValue(key)
  if (kcv && !kcv.equals(real))
    ctx.log.warn('virtual card: PUT KEY check value does not match the key (accepted)')
  ctx.state.adminKey = key.toString('hex')
  if (ctx.state.admin.limit !== null) ctx.state.admin.triesLeft = ctx.state.admin.limit
  zeroize(key, real)
  ctx.markDirty()
  return sw(SW.OK)
}

/**
 * GET DATA `3FFF`: `5C 02 7F 71` → `7F 71 06 97 01 tt 93 01 ll`; 7F73 (no PUK) and others → 6A88 (§7.3);
 * `70 … 7F 49` → a public key (§9.3).
 */
export function getSecurityDo(ctx: CardContext, apdu: CommandApdu): Reply {
  const publicKey = readPublicKey(ctx, apdu.data)
  if (publicKey) return publicKey
  let tag: number
  try {
    const t = decodeTlv(apdu.data)
    if (t.tag !== 0x5c || t.value.length < 1 || t.value.length > 3) return sw(SW.REF_DATA_NOT_FOUND)
    tag = t.value.readUIntBE(0, t.value.length)
  } catch {
    return sw(SW.REF_DATA_NOT_FOUND)
  }
  // 6A88 (not GidsApplet's 6984) for unknown DOs: OpenSC's PIV probe `5C 01 7E` must get 6A88 (pcsc-lab.md §5).
  if (tag !== 0x7f71 || ctx.state.pin.value === null) return sw(SW.REF_DATA_NOT_FOUND)
  const p = ctx.state.pin
  const body = encodeTlvs([
    [0x97, Buffer.from([p.triesLeft])],
    [0x93, Buffer.from([p.limit])],
  ])
  return { data: encodeTlv(0x7f71, body), sw: SW.OK }
}
