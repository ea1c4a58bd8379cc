import { StationError } from '../../../shared/errors'
import { findTlv, findTlvPath } from './tlv'

/** Parsers for GIDS answers (gids-card-edge.md). Malformed card data → StationError('apdu-failed'). */

const malformed = (what: string): StationError => new StationError('apdu-failed', {}, `malformed ${what}`)

/** The value of DO `tag` in a GET DATA answer `<tag> <len> <value>` (§2: search for the requested tag). */
export function doValue(answer: Uint8Array, tag: number): Buffer {
  const value = findTlv(answer, tag)
  if (!value) throw malformed(`GET DATA answer: DO ${tag.toString(16)} absent`)
  return value
}

/** The 8-byte challenge from `7C 0A 81 08 <C>` (§5.4 step 2), copied out of the answer buffer. */
export function parseChallenge(answer: Uint8Array): Buffer {
  const c = findTlvPath(answer, [0x7c, 0x81])
  if (!c || c.length !== 8) throw malformed('GENERAL AUTHENTICATE challenge')
  return Buffer.from(c)
}

/** User PIN retry counters. */
export interface PinCounters {
  triesLeft: number
  limit: number
}

/** `7F 71 06 97 01 <left> 93 01 <limit>`; older cards put the try counter under 9F17 (§7.3). */
export function parsePinStatus(answer: Uint8Array): PinCounters {
  const inner = doValue(answer, 0x7f71)
  const left = findTlv(inner, 0x97) ?? findTlv(inner, 0x9f17)
  const limit = findTlv(inner, 0x93)
  if (!left || left.length !== 1 || !limit || limit.length !== 1) throw malformed('PIN status DO 7F71')
  return { triesLeft: left[0]!, limit: limit[0]! }
}

/** One 28-byte master-file record (§4.2). */
export interface MasterFileRecord {
  directory: string
  file: string
  /** DO identifier (e.g. 0xdf20); 0 for a directory. */
  tag: number
  /** EF identifier (e.g. 0xa012). */
  ef: number
}

const RECORD = 28

function asciiz(b: Buffer): string {
  const end = b.indexOf(0)
  return b.subarray(0, end < 0 ? b.length : end).toString('latin1')
}

/**
 * Parse the master file DO DF1F value: byte `01`, then 28-byte records with NUL-padded 9-byte names
 * and LE 32-bit DO/EF identifiers (§4.2). OpenSC rejects anything not starting with 01 ("invalid card").
 */
export function parseMasterFile(value: Uint8Array): MasterFileRecord[] {
  const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (b.length < 1 || b[0] !== 0x01 || (b.length - 1) % RECORD !== 0) throw malformed('master file DF1F')
  const out: MasterFileRecord[] = []
  for (let off = 1; off < b.length; off += RECORD) {
    const r = b.subarray(off, off + RECORD)
    out.push({
      directory: asciiz(r.subarray(0, 9)),
      file: asciiz(r.subarray(9, 18)),
      tag: r.readUInt32LE(20),
      ef: r.readUInt32LE(24) & 0xffff,
    })
  }
  return out
}

/** Where the master file says the cardid is (root directory, file `cardid`), or null (§4.4). */
export function findCardIdRecord(records: readonly MasterFileRecord[]): { ef: number; tag: number } | null {
  const r = records.find((x) => x.directory === '' && x.file === 'cardid')
  if (!r || r.tag === 0 || r.ef === 0 || r.tag > 0xffff) return null
  return { ef: r.ef, tag: r.tag }
}
