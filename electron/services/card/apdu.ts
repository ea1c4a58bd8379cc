import { StationError } from '../../../shared/errors'

/**
 * ISO 7816-4 command/response APDU primitives shared by the card edge (host) and the virtual card.
 * GIDS uses short APDUs only; longer data is sent with command chaining (CLA bit 0x10) and longer
 * answers come back with 61xx + GET RESPONSE (gids-card-edge.md §2). Extended length is parsed for
 * robustness (vpcd passes it through, pcsc-lab.md §2b) but never built.
 */

/** A parsed (or to-be-built) command APDU. */
export interface CommandApdu {
  cla: number
  ins: number
  p1: number
  p2: number
  /** Command data (empty for cases 1 and 2). */
  data: Buffer
  /**
   * Expected response length, or null when absent. Short `00` means 256; extended `0000` means 65536.
   * Note: the 5-byte T=0 form of a case-1 command (`00 44 00 00 00`, §2) parses as le = 256.
   */
  le: number | null
  /** True when the APDU used the extended-length encoding. */
  extended: boolean
}

/** Fields for buildApdu; data and le are optional (case 1 when both are absent). */
export interface ApduFields {
  cla?: number
  ins: number
  p1: number
  p2: number
  data?: Uint8Array
  /** 1–256 (256 is sent as `00`); omit for no Le. */
  le?: number
}

/** Status words the station and the virtual card use (gids-card-edge.md §10.1). */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SM_NOT_SUPPORTED: 0x6882,
  CHAINING_NOT_SUPPORTED: 0x6884,
  FILE_INCOMPATIBLE: 0x6981,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  DATA_INVALID: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNC_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  REF_DATA_NOT_FOUND: 0x6a88,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const

/** CLA bit meaning "more command APDUs of this chain follow" (§2). */
export const CLA_CHAINING = 0x10

const u8 = (v: number, what: string): number => {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${what} must be a byte, got ${v}`)
  return v
}

/** Build a short command APDU (cases 1–4). Data ≤ 255 bytes, Le 1–256; use buildChainedApdus beyond. */
export function buildApdu(f: ApduFields): Buffer {
  const header = [u8(f.cla ?? 0, 'CLA'), u8(f.ins, 'INS'), u8(f.p1, 'P1'), u8(f.p2, 'P2')]
  const data = f.data ?? new Uint8Array(0)
  if (data.length > 255) throw new RangeError(`short APDU data is at most 255 bytes, got ${data.length}`)
  const parts: Uint8Array[] = [Buffer.from(header)]
  if (data.length > 0) parts.push(Buffer.from([data.length]), data)
  if (f.le !== undefined) {
    if (!Number.isInteger(f.le) || f.le < 1 || f.le > 256)
      throw new RangeError(`short Le is 1–256, got ${f.le}`)
    parts.push(Buffer.from([f.le & 0xff]))
  }
  return Buffer.concat(parts)
}

/**
 * Split a command with long data into a chain of short APDUs: every APDU but the last has CLA|0x10
 * and no Le; the last carries Le (OpenSC apdu.c:574-620, gids-card-edge.md §2). Data ≤ chunk → one APDU.
 */
export function buildChainedApdus(f: ApduFields, chunk = 255): Buffer[] {
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 255) throw new RangeError(`bad chunk size ${chunk}`)
  const data = f.data ?? new Uint8Array(0)
  if (data.length <= chunk) return [buildApdu(f)]
  const out: Buffer[] = []
  for (let off = 0; off < data.length; off += chunk) {
    const last = off + chunk >= data.length
    const piece = data.subarray(off, Math.min(off + chunk, data.length))
    const cla = (f.cla ?? 0) | (last ? 0 : CLA_CHAINING)
    const fields: ApduFields = { cla, ins: f.ins, p1: f.p1, p2: f.p2, data: piece }
    if (last && f.le !== undefined) fields.le = f.le
    out.push(buildApdu(fields))
  }
  return out
}

const badApdu = (why: string): StationError =>
  new StationError('apdu-failed', {}, `malformed command APDU: ${why}`)

/**
 * Parse a command APDU in any ISO case, short or extended. Accepts the 4-byte case-1 form and the
 * 5-byte `00 44 00 00 00` form (§2). Throws StationError('apdu-failed') when the length bytes do not
 * match the buffer (the virtual card answers 6700 then).
 */
export function parseApdu(buf: Uint8Array): CommandApdu {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (b.length < 4) throw badApdu(`only ${b.length} bytes`)
  const base = { cla: b[0]!, ins: b[1]!, p1: b[2]!, p2: b[3]! }
  const empty = Buffer.alloc(0)
  if (b.length === 4) return { ...base, data: empty, le: null, extended: false }
  const p3 = b[4]!
  if (b.length === 5) return { ...base, data: empty, le: p3 === 0 ? 256 : p3, extended: false }
  if (p3 !== 0) {
    // Short case 3 (5 + Lc) or case 4 (5 + Lc + 1).
    if (b.length === 5 + p3) return { ...base, data: b.subarray(5, 5 + p3), le: null, extended: false }
    if (b.length === 6 + p3) {
      const le = b[5 + p3]!
      return { ...base, data: b.subarray(5, 5 + p3), le: le === 0 ? 256 : le, extended: false }
    }
    throw badApdu(`Lc ${p3} does not match ${b.length} bytes`)
  }
  // Extended: 00 followed by two bytes.
  if (b.length < 7) throw badApdu(`${b.length} bytes after an extended marker`)
  const n = b.readUInt16BE(5)
  if (b.length === 7) return { ...base, data: empty, le: n === 0 ? 65536 : n, extended: true }
  if (n === 0) throw badApdu('extended Lc of 0')
  if (b.length === 7 + n) return { ...base, data: b.subarray(7, 7 + n), le: null, extended: true }
  if (b.length === 9 + n) {
    const le = b.readUInt16BE(7 + n)
    return { ...base, data: b.subarray(7, 7 + n), le: le === 0 ? 65536 : le, extended: true }
  }
  throw badApdu(`extended Lc ${n} does not match ${b.length} bytes`)
}

/** A response APDU split into data and status word. */
export interface ResponseApdu {
  data: Buffer
  sw: number
}

/** Split `data || SW1 SW2`. Throws StationError('apdu-failed') for fewer than 2 bytes (card gone mid-APDU). */
export function splitResponse(buf: Uint8Array): ResponseApdu {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (b.length < 2)
    throw new StationError('apdu-failed', {}, `response of ${b.length} bytes has no status word`)
  return { data: b.subarray(0, b.length - 2), sw: b.readUInt16BE(b.length - 2) }
}

/** Build `data || SW1 SW2` (card side). */
export function buildResponse(data: Uint8Array | null, sw: number): Buffer {
  const swb = Buffer.from([(sw >> 8) & 0xff, sw & 0xff])
  return data && data.length ? Buffer.concat([data, swb]) : swb
}

/** True for 9000. */
export function isSuccess(sw: number): boolean {
  return sw === SW.OK
}

/** For 61xx: how many more bytes GET RESPONSE can fetch (`61 00` = 256 or more); otherwise null. */
export function bytesRemaining(sw: number): number | null {
  if (sw >> 8 !== 0x61) return null
  const n = sw & 0xff
  return n === 0 ? 256 : n
}

/** For 6Cxx: the Le the card wants the command resent with; otherwise null. */
export function correctLe(sw: number): number | null {
  if (sw >> 8 !== 0x6c) return null
  const n = sw & 0xff
  return n === 0 ? 256 : n
}

/** For 63Cx: PIN tries left (x); otherwise null. 6983 (blocked) is not 63Cx: check it separately. */
export function pinTriesLeft(sw: number): number | null {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : null
}

/** 63Cx for `tries` (0–15) tries left. */
export function swTriesLeft(tries: number): number {
  return 0x63c0 | Math.max(0, Math.min(15, tries))
}

/** GET RESPONSE `00 C0 00 00 Le` for the amount a 61xx announced. */
export function getResponseApdu(sw: number): Buffer {
  const n = bytesRemaining(sw)
  if (n === null) throw new RangeError(`not a 61xx status word: ${swHex(sw)}`)
  return buildApdu({ ins: 0xc0, p1: 0, p2: 0, le: n })
}

/** Status word as 4 lower-case hex digits, for logs (`6a82`). */
export function swHex(sw: number): string {
  return (sw & 0xffff).toString(16).padStart(4, '0')
}
