/**
 * Persistent (non-volatile) state of the virtual GIDS card, JSON-plain so it can be saved with
 * `--state file.json` (gids-card-edge.md §11 "Persistent model", §10.2 "what survives what").
 * The state file is the card's own memory, like EEPROM: it holds the PIN and the admin key on purpose;
 * it is a simulator artefact and never something the station writes.
 */

/** Life cycle of the GIDS application (§8.2: initialisation → operational after ACTIVATE). */
export type LifeCycle = 'initialisation' | 'operational'

/** One elementary file: a BER-TLV EF (descriptor 39) or a key EF (descriptor 18). */
export interface EfState {
  kind: 'bertlv' | 'key'
  /** The FCP the file was created with, hex (`62 …`), returned by SELECT with P2=04. */
  fcp: string
  /** Compact security attribute (tag 8C) value, hex: access-mode byte then SC bytes (§4.3). */
  acl: string
  activated: boolean
  /** DOs of a BER-TLV EF: tag (hex, e.g. "df20") → value (hex), in insertion order. */
  dos: Record<string, string>
  /** Key pair of a user key EF after GENERATE (§9.3): algorithm id (06–09) and PKCS#8 DER, hex. */
  key?: { alg: number; pkcs8: string }
}

/** Everything that survives power-off. */
export interface GidsCardState {
  version: 1
  /** ATR, lower-case hex. */
  atr: string
  lifeCycle: LifeCycle
  /** EF id (4 hex digits, e.g. "a012") → file. */
  files: Record<string, EfState>
  pin: {
    /** PIN bytes as hex, or null before CHANGE REFERENCE DATA P1=01 created it. */
    value: string | null
    triesLeft: number
    limit: number
    minLength: number
    maxLength: number
  }
  /** 24-byte 3DES admin key (key reference 80), hex; null until PUT KEY. */
  adminKey: string | null
  /**
   * Optional admin-authentication failure counter. DECISION: off by default (null), like GidsApplet;
   * whether real cards / the TPM VSC count failures is not established (gids-card-edge.md §5.5, §12).
   */
  admin: { limit: number | null; triesLeft: number | null }
}

/** The default ATR: the lab's TPM VSC ATR (pcsc-lab.md §6, gids-card-edge.md §1). */
export const DEFAULT_ATR = '3b8d0180fba000000397425446590301c8'

/** GIDS AID clients select (§1). */
export const GIDS_AID = Buffer.from('a00000039742544659', 'hex')
/**
 * FCI returned by SELECT with P2=00: `61 12 4F 0B <AID …59 02 01> 73 03 40 01 C0`, byte for byte as
 * GidsApplet and FreeRDP (§3.2). Not established (§12): whether a TPM VSC shows revision 02 or 03
 * here (its ATR says 03), and which bit of tag 40's C0 means external vs mutual authentication.
 */
export const GIDS_FCI = Buffer.from('61124f0ba00000039742544659020173034001c0', 'hex')
/** FCP of the application DF, SELECT P2=04 (§3.2). */
export const GIDS_FCP = Buffer.from('62088201388c03033030', 'hex')
/** FMD of the application DF, SELECT P2=08 (§3.2). */
export const GIDS_FMD = Buffer.from('64095f2f01607f65028000', 'hex')

/** A blank card, ready for `gids-tool -X` (§8.2): no files, no PIN, no admin key. */
export function blankState(
  opts: { atr?: string; pinTryLimit?: number; pinMaxLength?: number } = {},
): GidsCardState {
  const limit = opts.pinTryLimit ?? 3
  return {
    version: 1,
    atr: (opts.atr ?? DEFAULT_ATR).toLowerCase(),
    lifeCycle: 'initialisation',
    files: {},
    pin: { value: null, triesLeft: limit, limit, minLength: 4, maxLength: opts.pinMaxLength ?? 16 },
    adminKey: null,
    admin: { limit: null, triesLeft: null },
  }
}

const HEX_RE = /^(?:[0-9a-f]{2})*$/

/** Validate and normalise a state read from JSON (throws RangeError with the reason). */
export function parseState(json: unknown): GidsCardState {
  const fail = (why: string): never => {
    throw new RangeError(`invalid card state: ${why}`)
  }
  if (typeof json !== 'object' || json === null) fail('not an object')
  const s = json as GidsCardState
  if (s.version !== 1) fail('version')
  if (typeof s.atr !== 'string' || !HEX_RE.test(s.atr) || s.atr.length < 4) fail('atr')
  if (s.lifeCycle !== 'initialisation' && s.lifeCycle !== 'operational') fail('lifeCycle')
  if (typeof s.files !== 'object' || s.files === null) fail('files')
  for (const [fid, ef] of Object.entries(s.files)) {
    if (!/^[0-9a-f]{4}$/.test(fid)) fail(`file id ${fid}`)
    if (ef.kind !== 'bertlv' && ef.kind !== 'key') fail(`file ${fid} kind`)
    if (!HEX_RE.test(ef.fcp) || !HEX_RE.test(ef.acl) || typeof ef.activated !== 'boolean') fail(`file ${fid}`)
    for (const [tag, v] of Object.entries(ef.dos)) {
      if (!/^[0-9a-f]{2,6}$/.test(tag) || !HEX_RE.test(v)) fail(`file ${fid} DO ${tag}`)
    }
    if (ef.key !== undefined && (!Number.isInteger(ef.key.alg) || !HEX_RE.test(ef.key.pkcs8)))
      fail(`file ${fid} key`)
  }
  const p = s.pin
  if (typeof p !== 'object' || p === null) fail('pin')
  if (p.value !== null && (typeof p.value !== 'string' || !HEX_RE.test(p.value))) fail('pin value')
  for (const k of ['triesLeft', 'limit', 'minLength', 'maxLength'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 0 || p[k] > 127) fail(`pin ${k}`)
  }
  if (p.limit < 1 || p.limit > 15 || p.triesLeft > p.limit) fail('pin tries')
  if (s.adminKey !== null && (typeof s.adminKey !== 'string' || !/^[0-9a-f]{48}$/.test(s.adminKey))) {
    fail('adminKey')
  }
  const a = s.admin ?? { limit: null, triesLeft: null }
  if (a.limit !== null && (!Number.isInteger(a.limit) || a.limit < 1 || a.limit > 15)) fail('admin limit')
  return {
    ...s,
    admin: { limit: a.limit ?? null, triesLeft: a.limit === null ? null : (a.triesLeft ?? a.limit) },
  }
}

/** A deep copy (the state is JSON-plain). */
export function cloneState(s: GidsCardState): GidsCardState {
  return JSON.parse(JSON.stringify(s)) as GidsCardState
}

/** One 28-byte master-file record (§4.2): directory, file, DO (LE u32), EF (LE u32). */
export function masterFileRecord(dir: string, file: string, doId: number, efId: number): Buffer {
  const rec = Buffer.alloc(28)
  rec.write(dir, 0, 8, 'ascii')
  rec.write(file, 9, 8, 'ascii')
  rec.writeUInt32LE(doId, 20)
  rec.writeUInt32LE(efId, 24)
  return rec
}

/** The 141-byte default master file written by personalisation (§4.2 table). */
export function defaultMasterFile(): Buffer {
  return Buffer.concat([
    Buffer.from([0x01]),
    masterFileRecord('mscp', '', 0, 0xa000),
    masterFileRecord('', 'cardid', 0xdf20, 0xa012),
    masterFileRecord('', 'cardapps', 0xdf21, 0xa010),
    masterFileRecord('', 'cardcf', 0xdf22, 0xa010),
    masterFileRecord('mscp', 'cmapfile', 0xdf23, 0xa010),
  ])
}
