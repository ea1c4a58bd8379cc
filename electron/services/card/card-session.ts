import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import type { Logger } from '../log'
import type { CardChannel } from '../reader/types'
import {
  buildApdu,
  buildChainedApdus,
  bytesRemaining,
  correctLe,
  getResponseApdu,
  splitResponse,
  swHex,
  type ApduFields,
} from './apdu'

/** Options of one exchange. */
export interface ExchangeOptions {
  /** The command carries a secret (PIN, key, response): zero every built APDU after sending. */
  secret?: boolean
  /** The answer carries a secret (challenge): zero the raw answers after copying the data out. */
  secretAnswer?: boolean
  /**
   * Sending this command changes state on the card that a blind retry could repeat (VERIFY counts a
   * wrong PIN, GA counts a wrong response, PUT KEY replaces the key): mark the job committed first.
   */
  commits?: boolean
}

/** A response with its status word; `data` is a fresh copy the caller owns (zeroize it if secret). */
export interface Answer {
  data: Buffer
  sw: number
}

/** Bookkeeping shared between a job and the retry loop around it. */
export interface JobState {
  /** A state-changing command was (or may have been) delivered: the job must not be retried. */
  committed: boolean
  /** APDUs sent on the wire (for logs and the bench). */
  apdus: number
}

/** Guards against a card that answers 61xx / 6Cxx forever. */
const MAX_ROUNDS = 300

/**
 * One card job's APDU transport on top of a raw PC/SC channel. A raw PC/SC client must do GET
 * RESPONSE (61xx) and command chaining (CLA 10) itself (gids-card-edge.md §2; pcsclite passes 61xx
 * back); 6Cxx resends with the Le the card asked for (OpenSC apdu.c:524-526).
 */
export class CardSession {
  constructor(
    readonly channel: CardChannel,
    private readonly state: JobState,
    /** The edge's logger, for the steps composed on this session (never secrets). */
    readonly log: Logger,
  ) {}

  /** The reader this session talks to. */
  get reader(): string {
    return this.channel.reader
  }

  /** Send one logical command (chained if its data exceeds 255 bytes) and collect the whole answer. */
  async exchange(fields: ApduFields, opts: ExchangeOptions = {}): Promise<Answer> {
    const apdus = buildChainedApdus(fields)
    const raw: Buffer[] = []
    try {
      if (opts.commits) this.state.committed = true
      // Intermediate chain links carry no Le and must be answered 9000 (§2).
      for (const apdu of apdus.slice(0, -1)) {
        const link = splitResponse(await this.send(apdu, raw))
        if (link.sw !== 0x9000) return { data: Buffer.alloc(0), sw: link.sw }
      }
      let last = apdus[apdus.length - 1]!
      let answer = splitResponse(await this.send(last, raw))
      const parts: Buffer[] = []
      for (let round = 0; ; round++) {
        if (round > MAX_ROUNDS) throw new StationError('apdu-failed', {}, 'endless 61xx/6Cxx')
        const resend = correctLe(answer.sw)
        if (resend !== null && round === 0) {
          const fixed = buildApdu({ ...lastFields(fields, apdus.length > 1), le: resend })
          if (opts.secret) apdus.push(fixed)
          last = fixed
          answer = splitResponse(await this.send(last, raw))
          continue
        }
        parts.push(answer.data)
        const more = bytesRemaining(answer.sw)
        if (more === null) break
        answer = splitResponse(await this.send(getResponseApdu(answer.sw), raw))
      }
      return { data: Buffer.concat(parts), sw: answer.sw }
    } finally {
      if (opts.secret) zeroize(...apdus)
      if (opts.secretAnswer) zeroize(...raw)
    }
  }

  private async send(apdu: Buffer, raw: Buffer[]): Promise<Buffer> {
    this.state.apdus++
    const reply = await this.channel.transmit(apdu)
    raw.push(reply)
    // A card pulled during an APDU yields an empty "success" under pcsclite (pcsc-lab.md §3 gotchas).
    if (reply.length < 2) throw new StationError('card-removed', {}, 'response without status word')
    // Header and SW only: data may be secret (redactApduHex covers what else could leak).
    this.log.debug('card: apdu', {
      reader: this.channel.reader,
      cmd: apdu.subarray(0, 4).toString('hex'),
      sw: swHex(reply.readUInt16BE(reply.length - 2)),
    })
    return reply
  }
}

/** The fields of the last APDU of a (possibly chained) command, for a 6Cxx resend. */
function lastFields(fields: ApduFields, chained: boolean): ApduFields {
  if (!chained) return fields
  const data = fields.data ?? new Uint8Array(0)
  const tail = data.length % 255 || 255
  return { ...fields, data: data.subarray(data.length - tail) }
}
