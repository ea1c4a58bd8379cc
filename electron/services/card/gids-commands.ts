import { keyCheckValue, zeroize } from '../crypto/des'
import type { ApduFields } from './apdu'
import { encodeTlv } from './tlv'

/**
 * GIDS command APDUs the station sends, as ApduFields (the session builds, chains and sends them).
 * Every byte layout cites gids-card-edge.md. Builders that take a secret return fields whose `data`
 * is a fresh buffer the caller must zeroize after the exchange.
 */

/** The GIDS AID clients SELECT (9 bytes, §1). */
export const GIDS_AID = Buffer.from('a00000039742544659', 'hex')

/** Admin key reference (§1, §5.2). */
export const ADMIN_KEY_REF = 0x80
/** User PIN key reference (§1, §7.1). */
export const USER_PIN_REF = 0x80

/** Where the master file lives: EF A000, DO DF1F (§4.2). */
export const MASTER_FILE = { ef: 0xa000, tag: 0xdf1f } as const
/** Where every known profile keeps the cardid: EF A012, DO DF20 (§4.4); the fallback location. */
export const CARDID_FILE = { ef: 0xa012, tag: 0xdf20 } as const
/** The application DF, used as the EF for GET DATA of PIN status and PUT KEY (§6, §7.3). */
export const APP_DF = 0x3fff
/** PIN status DO of the user PIN (§7.3). */
export const PIN_STATUS_DO = 0x7f71

/** SELECT the GIDS application by AID with FCI requested (`00 A4 04 00 09 <AID> 00`, §3.1). */
export function selectGids(): ApduFields {
  return { ins: 0xa4, p1: 0x04, p2: 0x00, data: GIDS_AID, le: 256 }
}

/** GET DATA of one DO in one EF: `00 CB <EF> 04 5C 02 <DO> 00` (§4.1). */
export function getData(ef: number, tag: number): ApduFields {
  return { ins: 0xcb, p1: ef >> 8, p2: ef & 0xff, data: encodeTlv(0x5c, be16(tag)), le: 256 }
}

/** MANAGE SECURITY ENVIRONMENT for admin authentication: `00 22 C1 A4 03 83 01 80` (§5.2, OpenSC's P1). */
export function mseAdminAuth(): ApduFields {
  return { ins: 0x22, p1: 0xc1, p2: 0xa4, data: encodeTlv(0x83, Buffer.from([ADMIN_KEY_REF])) }
}

/** GENERAL AUTHENTICATE asking for an external-authentication challenge: `7C 02 81 00` (§5.4 step 2). */
export function gaRequestChallenge(): ApduFields {
  return { ins: 0x87, p1: 0, p2: 0, data: Buffer.from([0x7c, 0x02, 0x81, 0x00]), le: 256 }
}

/** GENERAL AUTHENTICATE with the response: `00 87 00 00 0C 7C 0A 82 08 <R>`, no Le (§5.4 step 3). Secret data. */
export function gaSendResponse(response: Uint8Array): ApduFields {
  const inner = encodeTlv(0x82, response)
  const data = encodeTlv(0x7c, inner)
  zeroize(inner)
  return { ins: 0x87, p1: 0, p2: 0, data }
}

/**
 * PUT KEY of the admin key with the REAL key check value of the new key (§6: OpenSC's fixed `B073DC`
 * would be rejected by a card that verifies tag 88):
 * `00 DB 3F FF 26 70 24 84 01 80 A5 1F 87 18 <key> 88 03 <KCV>`. Secret data.
 */
export function putAdminKey(newKey: Uint8Array): ApduFields {
  if (newKey.length !== 24) throw new RangeError('admin key must be 24 bytes (3-key 3DES, §5.1)')
  const kcv = keyCheckValue(newKey)
  const keyTlv = encodeTlv(0x87, newKey)
  const template = Buffer.concat([keyTlv, encodeTlv(0x88, kcv)])
  const body = Buffer.concat([encodeTlv(0x84, Buffer.from([ADMIN_KEY_REF])), encodeTlv(0xa5, template)])
  const data = encodeTlv(0x70, body)
  zeroize(keyTlv, template, body)
  return { ins: 0xdb, p1: APP_DF >> 8, p2: APP_DF & 0xff, data }
}

/** RESET RETRY COUNTER with a new user PIN, admin authenticated: `00 2C 02 80 <PIN>` (§7.5). Secret data. */
export function resetRetryCounter(pin: Uint8Array): ApduFields {
  return { ins: 0x2c, p1: 0x02, p2: USER_PIN_REF, data: Buffer.from(pin) }
}

/** VERIFY the user PIN: `00 20 00 80 <PIN>` (§7.2). Secret data. */
export function verifyPin(pin: Uint8Array): ApduFields {
  return { ins: 0x20, p1: 0x00, p2: USER_PIN_REF, data: Buffer.from(pin) }
}

/** VERIFY P2=82 without data: deauthenticate PIN and admin (§7.2, gids-tool's closing step §8.3). */
export function logout(): ApduFields {
  return { ins: 0x20, p1: 0x00, p2: 0x82 }
}

/** GET DATA of the user PIN status DO: `00 CB 3F FF 04 5C 02 7F 71 00` (§7.3). */
export function getPinStatus(): ApduFields {
  return getData(APP_DF, PIN_STATUS_DO)
}

/** Two big-endian bytes (DO tags in the 5C list). */
function be16(v: number): Buffer {
  return Buffer.from([(v >> 8) & 0xff, v & 0xff])
}
