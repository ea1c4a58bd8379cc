import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import { SW } from './apdu'
import {
  adminAuthFailure,
  apduFailed,
  pinWriteFailure,
  privilegedFailure,
  verifyFailure,
} from './card-errors'
import type { CardSession } from './card-session'
import * as cmd from './gids-commands'
import {
  doValue,
  findCardIdRecord,
  parseChallenge,
  parseMasterFile,
  parsePinStatus,
  type PinCounters,
} from './gids-parse'

/**
 * The GIDS steps the edge composes into jobs. Each takes the job's session; none of them spans a
 * human prompt. Secrets passed in are zeroed by the caller; secrets produced here are documented.
 */

/** SELECT the GIDS application (FCI requested, §3.1). True on 9000: OpenSC matches on the SW only (§3.3). */
export async function selectApplication(s: CardSession): Promise<boolean> {
  const answer = await s.exchange(cmd.selectGids())
  return answer.sw === SW.OK
}

/** SELECT, or throw not-gids. Every job starts here, which also re-selects after a reset (§10.2). */
export async function requireGids(s: CardSession): Promise<void> {
  if (!(await selectApplication(s))) throw new StationError('not-gids', {}, `reader ${s.reader}`)
}

/** GET DATA of one DO; null when the EF or DO is absent (6A82 / 6A88, §4.6). */
export async function readDo(s: CardSession, ef: number, tag: number): Promise<Buffer | null> {
  const answer = await s.exchange(cmd.getData(ef, tag))
  if (answer.sw === SW.FILE_NOT_FOUND || answer.sw === SW.REF_DATA_NOT_FOUND) return null
  if (answer.sw !== SW.OK) throw apduFailed(`GET DATA ${ef.toString(16)}/${tag.toString(16)}`, answer.sw)
  return doValue(answer.data, tag)
}

/**
 * The 16 cardid bytes, or null on a blank (uninitialised) card. Robust as OpenSC: read the master
 * file and look up ("", "cardid") for its EF/DO; fall back to A012/DF20, where every known profile
 * keeps it, when the master file is absent, malformed or has no such record (§4.4).
 */
export async function readCardId(s: CardSession): Promise<Buffer | null> {
  let where: { ef: number; tag: number } = cmd.CARDID_FILE
  const master = await readDo(s, cmd.MASTER_FILE.ef, cmd.MASTER_FILE.tag)
  if (master === null) return null // blank card: gids-tool's "is the card new?" test (§8.2 step 1)
  try {
    where = findCardIdRecord(parseMasterFile(master)) ?? where
  } catch {
    // A malformed master file must not hide a readable cardid; A012/DF20 is the documented default.
  }
  const value = await readDo(s, where.ef, where.tag)
  if (value === null) return null
  if (value.length !== 16) throw new StationError('apdu-failed', {}, `cardid of ${value.length} bytes`)
  return Buffer.from(value)
}

/** User PIN counters from DO 7F71 (§7.3). */
export async function readPinCounters(s: CardSession): Promise<PinCounters> {
  const answer = await s.exchange(cmd.getPinStatus())
  if (answer.sw !== SW.OK) throw apduFailed('GET DATA 7F71', answer.sw)
  return parsePinStatus(answer.data)
}

/**
 * MSE + GENERAL AUTHENTICATE `7C 02 81 00` → the card's 8-byte challenge (§5.2, §5.4). SECRET: the
 * caller zeroes it. The challenge lives only until the next reset, re-select or power-off (§10.2).
 */
export async function requestChallenge(s: CardSession): Promise<Buffer> {
  const mse = await s.exchange(cmd.mseAdminAuth())
  if (mse.sw !== SW.OK) throw apduFailed('MSE admin', mse.sw)
  const ga = await s.exchange(cmd.gaRequestChallenge(), { secretAnswer: true })
  try {
    // A card that counts failed admin authentications refuses even the challenge once blocked.
    if (ga.sw === SW.AUTH_METHOD_BLOCKED) throw adminAuthFailure(ga.sw)
    if (ga.sw !== SW.OK) throw apduFailed('GA challenge', ga.sw)
    return parseChallenge(ga.data)
  } finally {
    zeroize(ga.data)
  }
}

/** GENERAL AUTHENTICATE `7C 0A 82 08 <R>`: 9000 = admin authenticated (§5.4 step 3). Counted by the card. */
export async function submitResponse(s: CardSession, response: Uint8Array): Promise<void> {
  const fields = cmd.gaSendResponse(response)
  try {
    const answer = await s.exchange(fields, { secret: true, commits: true })
    if (answer.sw !== SW.OK) throw adminAuthFailure(answer.sw)
  } finally {
    zeroize(fields.data)
  }
}

/** PUT KEY of a new admin key with its real KCV (§6); admin authentication required. */
export async function writeAdminKey(s: CardSession, newKey: Uint8Array): Promise<void> {
  const fields = cmd.putAdminKey(newKey)
  try {
    const answer = await s.exchange(fields, { secret: true, commits: true })
    if (answer.sw !== SW.OK) throw privilegedFailure('PUT KEY', answer.sw)
  } finally {
    zeroize(fields.data)
  }
}

/** RESET RETRY COUNTER with a new PIN (§7.5): unblocks, resets the counter; the card drops admin after it. */
export async function writeUserPin(s: CardSession, pin: Uint8Array): Promise<void> {
  const fields = cmd.resetRetryCounter(pin)
  try {
    const answer = await s.exchange(fields, { secret: true, commits: true })
    if (answer.sw !== SW.OK) throw pinWriteFailure('RESET RETRY COUNTER', answer.sw)
  } finally {
    zeroize(fields.data)
  }
}

/** VERIFY the user PIN (§7.2): 63Cx → wrong-pin, 6983 → pin-blocked. */
export async function verifyUserPin(s: CardSession, pin: Uint8Array): Promise<void> {
  const fields = cmd.verifyPin(pin)
  try {
    const answer = await s.exchange(fields, { secret: true, commits: true })
    if (answer.sw !== SW.OK) throw verifyFailure(answer.sw)
  } finally {
    zeroize(fields.data)
  }
}

/**
 * VERIFY P2=82: drop PIN and admin authentication before the job lets go of the card (disconnect
 * LEAVE keeps it powered for ~0.5 s, pcsc-lab.md §2b). Best effort: never masks the job's outcome.
 */
export async function logoutQuietly(s: CardSession): Promise<void> {
  try {
    await s.exchange(cmd.logout())
  } catch {
    // card gone or mute: nothing left to protect
  }
}
