import type { CommandApdu } from '../../services/card/apdu'
import { SW } from '../../services/card/apdu'
import { decodeTlv, decodeTlvs, encodeTlv, findTlv } from '../../services/card/tlv'
import type { CardContext, Reply } from './gids-context'
import { AM_READ, AM_UPDATE, allowed, checkAccess, fidKey, getEf, sw } from './gids-context'
import { getSecurityDo, putKey } from './gids-security'

/**
 * File-system commands of the virtual GIDS card: CREATE FILE, ACTIVATE FILE, GET DATA, PUT DATA
 * (gids-card-edge.md §4, §8.2, §11 items 4-8).
 */

/** The application DF's own file id (§3.1 "selects the application DF by its FID 3FFF"). */
export const APP_FID = 0x3fff

/** Most EFs the card holds (a real card runs out of memory too: 6A84). */
const MAX_FILES = 160
/** Largest DO value accepted (a certificate is a few kB; §9.7). */
const MAX_DO_BYTES = 16 * 1024

/** Resolve the EF named by P1P2: explicit id, or 0000 = the current EF (§4.1). */
function targetEf(ctx: CardContext, apdu: CommandApdu): number | null {
  const fid = (apdu.p1 << 8) | apdu.p2
  return fid === 0 ? ctx.vol.currentEf : fid
}

/** CREATE FILE `00 E0 00 00 <62 FCP>` (§8.2 steps 3-16). */
export function createFile(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0 || apdu.p2 !== 0) return sw(SW.INCORRECT_P1P2)
  // Creating EFs after activation needs the user PIN or admin (DF ACL `8C 03 03 30 30`, §3.2).
  if (!allowed(ctx, 0x30)) return sw(SW.SECURITY_NOT_SATISFIED)
  const fcp = decodeTlv(apdu.data)
  if (fcp.tag !== 0x62 || fcp.end !== apdu.data.length) return sw(SW.DATA_INVALID)
  const descriptor = findTlv(fcp.value, 0x82)
  const fidBytes = findTlv(fcp.value, 0x83)
  const acl = findTlv(fcp.value, 0x8c)
  if (!descriptor || descriptor.length < 1 || !fidBytes || fidBytes.length !== 2 || !acl || acl.length < 1) {
    return sw(SW.DATA_INVALID)
  }
  const kind = descriptor[0] === 0x39 ? 'bertlv' : descriptor[0] === 0x18 ? 'key' : null
  if (!kind) return sw(SW.DATA_INVALID)
  const fid = fidBytes.readUInt16BE(0)
  if (fid === 0 || fid === APP_FID || fid === 0x3f00) return sw(SW.DATA_INVALID)
  if (getEf(ctx, fid)) return sw(0x6a89) // file already exists
  if (Object.keys(ctx.state.files).length >= MAX_FILES) return sw(SW.NOT_ENOUGH_MEMORY)
  ctx.state.files[fidKey(fid)] = {
    kind,
    fcp: apdu.data.toString('hex'),
    acl: acl.toString('hex'),
    activated: false,
    dos: {},
  }
  // A newly created EF is selected and can only be activated until it is (§8.2 card-side rules).
  ctx.vol.currentEf = fid
  ctx.markDirty()
  return sw(SW.OK)
}

/** What the application DF's ACL (`8C 03 03 30 30`, §3.2) asks for deleting a child EF: user PIN or admin. */
const DELETE_CHILD_SC = 0x30

/**
 * DELETE FILE `00 E4 00 00` (the current EF, as OpenSC deletes a key file after `SELECT B0xx`) or
 * `00 E4 00 00 02 <FID>` (iso7816_delete_file). The admin key file cannot be deleted.
 */
export function deleteFile(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0 || apdu.p2 !== 0) return sw(SW.INCORRECT_P1P2)
  if (apdu.data.length !== 0 && apdu.data.length !== 2) return sw(SW.WRONG_DATA)
  const fid = apdu.data.length === 2 ? apdu.data.readUInt16BE(0) : ctx.vol.currentEf
  if (fid === null) return sw(SW.CONDITIONS_NOT_SATISFIED) // no current EF: the application is not deletable
  const ef = getEf(ctx, fid)
  if (!ef) return sw(SW.FILE_NOT_FOUND)
  if (fid === 0xb080) return sw(SW.SECURITY_NOT_SATISFIED)
  if (!allowed(ctx, DELETE_CHILD_SC)) return sw(SW.SECURITY_NOT_SATISFIED)
  delete ctx.state.files[fidKey(fid)]
  if (ctx.vol.currentEf === fid) ctx.vol.currentEf = null
  if (ctx.vol.crypto && 0xb000 + ctx.vol.crypto.kid === fid) ctx.vol.crypto = null
  ctx.markDirty()
  ctx.log.info('virtual card: file deleted', { fid: fidKey(fid) })
  return sw(SW.OK)
}

/**
 * ACTIVATE FILE `00 44 00 00` (4 or 5 bytes, §2): the current EF, or the application when no EF is
 * current (after `SELECT 3FFF`): initialisation → operational, which clears all authentication.
 */
export function activateFile(ctx: CardContext, apdu: CommandApdu): Reply {
  if (apdu.p1 !== 0 || apdu.p2 !== 0 || apdu.data.length) return sw(SW.INCORRECT_P1P2)
  const current = ctx.vol.currentEf
  if (current !== null) {
    const ef = getEf(ctx, current)
    if (!ef) return sw(SW.FILE_NOT_FOUND)
    if (!ef.activated) {
      ef.activated = true
      ctx.markDirty()
    }
    return sw(SW.OK)
  }
  if (ctx.state.lifeCycle === 'initialisation') {
    ctx.state.lifeCycle = 'operational'
    ctx.vol.pinVerified = false
    ctx.vol.adminAuthenticated = false
    ctx.dropChallenge()
    ctx.markDirty()
    ctx.log.info('virtual card: application activated (operational)')
  }
  return sw(SW.OK)
}

/** GET DATA `00 CB <EF> 04 5C 02 <DO> 00` → `<DO> <len> <value>` (§4.1); `3FFF` → PIN status DOs (§7.3). */
export function getData(ctx: CardContext, apdu: CommandApdu): Reply {
  const fid = targetEf(ctx, apdu)
  if (fid === APP_FID) return getSecurityDo(ctx, apdu)
  if (fid === null) return sw(SW.FILE_NOT_FOUND)
  const ef = getEf(ctx, fid)
  if (!ef) return sw(SW.FILE_NOT_FOUND)
  const tag = requestedTag(apdu.data)
  if (tag === null) return sw(SW.DATA_INVALID)
  if (ef.kind !== 'bertlv') return sw(SW.FILE_INCOMPATIBLE)
  ctx.vol.currentEf = fid
  const denied = checkAccess(ctx, ef, AM_READ)
  if (denied !== null) return sw(denied)
  const value = ef.dos[tag.toString(16)]
  if (value === undefined) return sw(SW.REF_DATA_NOT_FOUND)
  return { data: encodeTlv(tag, Buffer.from(value, 'hex')), sw: SW.OK }
}

/** The DO tag of a GET DATA tag list `5C <n> <tag>`; null when malformed. */
function requestedTag(data: Buffer): number | null {
  try {
    const t = decodeTlv(data)
    if (t.tag !== 0x5c || t.end !== data.length || t.value.length < 1 || t.value.length > 3) return null
    return t.value.readUIntBE(0, t.value.length)
  } catch {
    return null
  }
}

/**
 * PUT DATA `00 DB <EF> <DO TLVs>` (replace by tag; writing an empty DO over an empty DO deletes it,
 * §4.1) and `00 DB 3F FF 70 …` = PUT KEY (§6). Chained data arrives here already joined.
 */
export function putData(ctx: CardContext, apdu: CommandApdu): Reply {
  const fid = targetEf(ctx, apdu)
  if (fid === APP_FID) return putKey(ctx, apdu)
  if (fid === null) return sw(SW.FILE_NOT_FOUND)
  const ef = getEf(ctx, fid)
  if (!ef) return sw(SW.FILE_NOT_FOUND)
  if (ef.kind !== 'bertlv') return sw(SW.FILE_INCOMPATIBLE)
  ctx.vol.currentEf = fid
  const denied = checkAccess(ctx, ef, AM_UPDATE)
  if (denied !== null) return sw(denied)
  const tlvs = decodeTlvs(apdu.data)
  if (!tlvs.length) return sw(SW.DATA_INVALID)
  for (const t of tlvs) if (t.value.length > MAX_DO_BYTES) return sw(SW.NOT_ENOUGH_MEMORY)
  for (const t of tlvs) {
    const key = t.tag.toString(16)
    const old = ef.dos[key]
    if (t.value.length === 0 && old === '') delete ef.dos[key]
    else ef.dos[key] = t.value.toString('hex')
  }
  ctx.markDirty()
  return sw(SW.OK)
}
