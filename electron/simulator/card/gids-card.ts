import { randomBytes } from 'node:crypto'
import type { CommandApdu } from '../../services/card/apdu'
import { CLA_CHAINING, SW, buildResponse, parseApdu, swHex } from '../../services/card/apdu'
import { zeroize } from '../../services/crypto/des'
import type { Logger } from '../../services/log'
import { silentLogger } from '../../services/log'
import { StationError } from '../../../shared/errors'
import type { CardContext, Handler, Reply, VolatileState } from './gids-context'
import { freshVolatile, getEf, sw } from './gids-context'
import { APP_FID, activateFile, createFile, deleteFile, getData, putData } from './gids-files'
import { generateKeyPair, performSecurityOperation } from './gids-keys'
import {
  changeReferenceData,
  generalAuthenticate,
  manageSecurityEnvironment,
  resetRetryCounter,
  verify,
} from './gids-security'
import type { GidsCardState } from './gids-state'
import { GIDS_AID, GIDS_FCI, GIDS_FCP, GIDS_FMD, blankState, cloneState, parseState } from './gids-state'
import { personalisationApdus } from './personalise'

/** Construction options of a virtual card. */
export interface GidsCardOptions {
  logger?: Logger
  /** Source of challenges (tests inject fixed bytes to replay §5.6 vectors). */
  random?: (n: number) => Buffer
  /** Called with a copy of the persistent state after every command that changed it (`--state`). */
  onChange?: (state: GidsCardState) => void
}

/** Inputs of a pre-personalised card (§11: "looks like an issued TPM VSC"). */
export interface PersonalisedCardOptions extends GidsCardOptions {
  /** 16 bytes; random when absent. */
  cardid?: Uint8Array
  /** 24 bytes; default all zero = CM's empty DefaultAdminKeyHex (cm-rest-api.md §5.2). */
  adminKey?: Uint8Array
  /** Default "12345678" (the tpmvscmgr default PIN). */
  pin?: string
  atr?: string
  pinTryLimit?: number
  /** 16 like GidsApplet; up to 127 to mimic a TPM VSC (§7.1). */
  pinMaxLength?: number
  /** Admin-authentication failure limit; null/absent = no counter (decision, see GidsCardState.admin). */
  adminTryLimit?: number | null
}

/** Default user PIN of a pre-personalised virtual card. */
export const DEFAULT_PIN = '12345678'

/** Largest command chain accepted (bytes); beyond it 6A84. */
const MAX_CHAIN = 64 * 1024

const HANDLERS: Partial<Record<number, Handler>> = {
  0xcb: getData,
  0xdb: putData,
  0xe0: createFile,
  0xe4: deleteFile,
  0x44: activateFile,
  0x20: verify,
  0x24: changeReferenceData,
  0x2c: resetRetryCounter,
  0x22: manageSecurityEnvironment,
  0x87: generalAuthenticate,
  0x47: generateKeyPair,
  0x2a: performSecurityOperation,
}

/**
 * The virtual GIDS card: an APDU processor with the persistent and volatile model of
 * gids-card-edge.md §11 (a)(b)(c). Transports (vpcd TCP, in-memory reader) call `process`, which
 * never throws and always answers. GIDS is the default application after power-on (as on a TPM VSC,
 * whose only application it is), so `SELECT 3FFF` works before the AID select (§4.7).
 */
export class GidsCard {
  private readonly state: GidsCardState
  private readonly vol: VolatileState = freshVolatile()
  private chain: { ins: number; p1: number; p2: number; parts: Buffer[]; size: number } | null = null
  private pendingResponse: Buffer | null = null
  private dirty = false
  private readonly log: Logger
  private readonly ctx: CardContext

  constructor(
    state: GidsCardState,
    private readonly opts: GidsCardOptions = {},
  ) {
    this.state = cloneState(parseState(state))
    this.log = opts.logger ?? silentLogger
    const random = opts.random ?? ((n: number) => randomBytes(n))
    // `state` is only replaced here and `vol` is reset in place, so the context can hold them directly.
    this.ctx = {
      state: this.state,
      vol: this.vol,
      random,
      log: this.log,
      markDirty: () => (this.dirty = true),
      dropChallenge: () => this.dropChallenge(),
    }
  }

  /** A blank card in the initialisation state, the target of `gids-tool -X` (§8.2). */
  static blank(
    opts: GidsCardOptions & { atr?: string; pinTryLimit?: number; pinMaxLength?: number } = {},
  ): GidsCard {
    const s = blankState({
      ...(opts.atr !== undefined && { atr: opts.atr }),
      ...(opts.pinTryLimit !== undefined && { pinTryLimit: opts.pinTryLimit }),
      ...(opts.pinMaxLength !== undefined && { pinMaxLength: opts.pinMaxLength }),
    })
    return new GidsCard(s, opts)
  }

  /** A card personalised exactly as `gids-tool -X` would have left it (§8.2), operational. */
  static personalised(opts: PersonalisedCardOptions = {}): GidsCard {
    const cardid = Buffer.from(opts.cardid ?? randomBytes(16))
    const adminKey = Buffer.from(opts.adminKey ?? Buffer.alloc(24))
    const pin = Buffer.from(opts.pin ?? DEFAULT_PIN, 'utf8')
    const { onChange: _onChange, ...rest } = opts
    // The personalisation's own KCV warning (OpenSC's fixed B073DC, §6) is not worth logging.
    const card = GidsCard.blank({ ...rest, logger: silentLogger })
    const apdus = personalisationApdus({ cardid, adminKey, pin })
    try {
      for (const apdu of apdus) {
        const r = card.process(apdu)
        const code = r.readUInt16BE(r.length - 2)
        if (code !== SW.OK) {
          throw new RangeError(
            `personalisation failed at ${apdu.subarray(0, 4).toString('hex')}: ${swHex(code)}`,
          )
        }
      }
    } finally {
      zeroize(adminKey, pin, ...apdus)
    }
    const state = card.snapshot()
    const limit = opts.adminTryLimit ?? null
    state.admin = { limit, triesLeft: limit }
    return new GidsCard(state, opts)
  }

  /** ATR bytes. */
  get atr(): Buffer {
    return Buffer.from(this.state.atr, 'hex')
  }

  /** The 16-byte cardid (EF A012 / DO DF20), or null on a blank card. */
  get cardId(): Buffer | null {
    const v = getEf(this.ctx, 0xa012)?.dos['df20']
    return v === undefined ? null : Buffer.from(v, 'hex')
  }

  /** Life-cycle state of the application. */
  get lifeCycle(): GidsCardState['lifeCycle'] {
    return this.state.lifeCycle
  }

  /** PIN tries left (for tests and the CLI banner). */
  get pinTriesLeft(): number {
    return this.state.pin.triesLeft
  }

  /** A JSON-plain copy of the persistent state (for `--state`). */
  snapshot(): GidsCardState {
    return cloneState(this.state)
  }

  /** Cold reset (vpcd `01`, a new PC/SC connection): clears the volatile model (§10.2). */
  powerOn(): void {
    this.clearVolatile()
  }

  /** Warm reset (vpcd `02`, SCardDisconnect RESET): same effect as power-on (§10.2). */
  reset(): void {
    this.clearVolatile()
  }

  /** Power off (vpcd `00`). */
  powerOff(): void {
    this.clearVolatile()
  }

  /** Process one command APDU and return `data || SW1 SW2`. Never throws. */
  process(raw: Uint8Array): Buffer {
    let reply: Buffer
    try {
      reply = this.processUnsafe(raw)
    } catch (error) {
      if (error instanceof StationError && error.code === 'apdu-failed') {
        reply = buildResponse(null, SW.DATA_INVALID) // malformed TLV in command data
      } else {
        this.log.error('virtual card: internal error', { error })
        reply = buildResponse(null, SW.UNKNOWN)
      }
    }
    if (this.dirty) {
      this.dirty = false
      try {
        this.opts.onChange?.(this.snapshot())
      } catch (error) {
        this.log.error('virtual card: state persistence failed', { error })
      }
    }
    // Header and SW only: data may hold a PIN or a cryptogram.
    this.log.debug('virtual card: apdu', {
      header: Buffer.from(raw.subarray(0, 4)).toString('hex'),
      lc: Math.max(0, raw.length - 4),
      sw: reply.subarray(reply.length - 2).toString('hex'),
      out: reply.length - 2,
    })
    return reply
  }

  private processUnsafe(raw: Uint8Array): Buffer {
    let apdu: CommandApdu
    try {
      apdu = parseApdu(raw)
    } catch {
      return buildResponse(null, SW.WRONG_LENGTH)
    }
    // CLA rules of GidsApplet (§2): secure messaging → 6882, proprietary/other classes → 6E00.
    if (apdu.cla & 0x0c) return buildResponse(null, SW.SM_NOT_SUPPORTED)
    if (apdu.cla & 0xe0) return buildResponse(null, SW.CLA_NOT_SUPPORTED)
    if (apdu.cla & 0x03) return buildResponse(null, 0x6881) // logical channels not supported
    if (apdu.ins !== 0xc0) this.pendingResponse = null // a different command drops the response buffer
    const chain = this.chain
    if (chain && (chain.ins !== apdu.ins || chain.p1 !== apdu.p1 || chain.p2 !== apdu.p2)) this.chain = null
    if (apdu.cla & CLA_CHAINING) {
      if (apdu.ins === 0xa4 || apdu.ins === 0xc0) return buildResponse(null, SW.CHAINING_NOT_SUPPORTED)
      const c = this.chain ?? { ins: apdu.ins, p1: apdu.p1, p2: apdu.p2, parts: [], size: 0 }
      c.parts.push(Buffer.from(apdu.data))
      c.size += apdu.data.length
      this.chain = c
      if (c.size > MAX_CHAIN) {
        this.chain = null
        return buildResponse(null, SW.NOT_ENOUGH_MEMORY)
      }
      return buildResponse(null, SW.OK) // intermediate chunks carry no Le and get 9000 (§2)
    }
    if (this.chain) {
      apdu = { ...apdu, data: Buffer.concat([...this.chain.parts, apdu.data]) }
      this.chain = null
    }
    if (apdu.ins === 0xc0) return this.getResponse(apdu)
    const reply = apdu.ins === 0xa4 ? this.select(apdu) : (HANDLERS[apdu.ins] ?? unknownIns)(this.ctx, apdu)
    return this.send(reply, apdu)
  }

  /** Send a reply, keeping whatever exceeds Le (or 256) for GET RESPONSE with 61xx (§2). */
  private send(reply: Reply, apdu: CommandApdu): Buffer {
    const data = reply.data
    if (!data || data.length === 0 || reply.sw !== SW.OK) return buildResponse(data ?? null, reply.sw)
    const max = apdu.extended ? Math.min(apdu.le ?? 65533, 65533) : Math.min(apdu.le ?? 256, 256)
    if (data.length <= max) return buildResponse(data, SW.OK)
    this.pendingResponse = Buffer.from(data.subarray(max))
    return buildResponse(data.subarray(0, max), this.moreSw())
  }

  private moreSw(): number {
    const left = this.pendingResponse?.length ?? 0
    return 0x6100 | (left >= 256 ? 0 : left)
  }

  /** GET RESPONSE `00 C0 00 00 xx`. */
  private getResponse(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0 || apdu.p2 !== 0) return buildResponse(null, SW.INCORRECT_P1P2)
    const pending = this.pendingResponse
    if (!pending) return buildResponse(null, SW.CONDITIONS_NOT_SATISFIED)
    const n = Math.min(apdu.le ?? 256, apdu.extended ? 65533 : 256)
    const chunk = pending.subarray(0, n)
    const rest = pending.subarray(n)
    this.pendingResponse = rest.length ? Buffer.from(rest) : null
    return buildResponse(chunk, rest.length ? this.moreSw() : SW.OK)
  }

  /** SELECT (§3): GIDS AID → FCI/FCP/FMD/nothing; by FID (3FFF, an EF); anything else 6A82. */
  private select(apdu: CommandApdu): Reply {
    if (apdu.p1 === 0x04) {
      const d = apdu.data
      // The 9-byte GIDS AID, optionally with instance bytes (`…59 02 01`); never 9000 to other AIDs (§3.3).
      if (d.length < GIDS_AID.length || d.length > 16 || !d.subarray(0, GIDS_AID.length).equals(GIDS_AID)) {
        return sw(SW.FILE_NOT_FOUND)
      }
      if (apdu.p2 & 0x03) return sw(SW.INCORRECT_P1P2)
      // Re-selecting the application resets its volatile state (§3.4, §10.2).
      this.clearVolatile()
      switch (apdu.p2 & 0x0c) {
        case 0x00:
          return { data: GIDS_FCI, sw: SW.OK }
        case 0x04:
          return { data: GIDS_FCP, sw: SW.OK }
        case 0x08:
          return { data: GIDS_FMD, sw: SW.OK }
        default:
          return sw(SW.OK)
      }
    }
    // Other P1 values (path, parent, MF) are other drivers' probes: 6A82 as in the lab (pcsc-lab.md §5).
    if (apdu.p1 !== 0x00 || apdu.data.length !== 2) return sw(SW.FILE_NOT_FOUND)
    const fid = apdu.data.readUInt16BE(0)
    const noData = (apdu.p2 & 0x0c) === 0x0c
    if (fid === APP_FID) {
      this.vol.currentEf = null // the next ACTIVATE targets the application (§8.2)
      return noData ? sw(SW.OK) : { data: GIDS_FCP, sw: SW.OK }
    }
    const ef = getEf(this.ctx, fid)
    if (!ef) return sw(SW.FILE_NOT_FOUND)
    this.vol.currentEf = fid
    return noData ? sw(SW.OK) : { data: Buffer.from(ef.fcp, 'hex'), sw: SW.OK }
  }

  private dropChallenge(): void {
    const p = this.vol.pending
    if (p?.kind === 'external') zeroize(p.challenge)
    if (p?.kind === 'mutual') zeroize(p.r1, p.r2)
    this.vol.pending = null
  }

  private clearVolatile(): void {
    this.dropChallenge()
    Object.assign(this.vol, freshVolatile())
    this.chain = null
    this.pendingResponse = null
  }
}

function unknownIns(): Reply {
  return sw(SW.INS_NOT_SUPPORTED)
}
