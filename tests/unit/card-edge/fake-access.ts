import { StationError } from '../../../shared/errors'
import type { CardAccess, CardChannel } from '../../../electron/services/reader/types'
import type { CardProcessor } from '../../../electron/simulator/card/vpcd-client'

/** How a pulled card shows up at the next transmit. */
export type PullStyle = 'throws' | 'empty'

/**
 * A CardAccess over an in-process card, with the controls the edge tests need: count and record
 * APDUs, pull the card before the n-th APDU of a job (as pcsclite reports it: an empty answer, or as
 * the in-memory reader does: a card-removed rejection), and inject PC/SC errors.
 */
export class FakeCardAccess implements CardAccess {
  card: CardProcessor | null
  /** Every APDU sent, hex, copied before the edge zeroes it. */
  readonly sent: string[] = []
  jobs = 0
  /** Pull the card just before this (1-based) APDU of the next job. */
  pullBefore: { n: number; style: PullStyle } | null = null
  /** Errors thrown by the next transmits (before reaching the card), in order. */
  readonly transmitErrors: Error[] = []
  /** Throw `error` (once) instead of sending the first APDU whose hex `match` accepts. */
  failOnce: { match: (apduHex: string) => boolean; error: Error } | null = null
  /** Errors thrown by the next connects, in order. */
  readonly connectErrors: Error[] = []

  constructor(card: CardProcessor | null) {
    this.card = card
  }

  async withCard<T>(reader: string, job: (card: CardChannel) => Promise<T>): Promise<T> {
    this.jobs++
    const connectError = this.connectErrors.shift()
    if (connectError) throw connectError
    const card = this.card
    if (!card) throw new StationError('no-card', {}, reader)
    card.powerOn() // a new PC/SC connection after pcscd's idle power-off (pcsc-lab.md §2b)
    let n = 0
    const channel: CardChannel = {
      reader,
      atr: card.atr.toString('hex'),
      transmit: async (apdu) => {
        n++
        this.sent.push(Buffer.from(apdu).toString('hex'))
        const injected = this.transmitErrors.shift()
        if (injected) throw injected
        const once = this.failOnce
        if (once && once.match(Buffer.from(apdu).toString('hex'))) {
          this.failOnce = null
          throw once.error
        }
        if (this.pullBefore && n === this.pullBefore.n) {
          const style = this.pullBefore.style
          this.pullBefore = null
          this.card = null
          card.powerOff()
          if (style === 'empty') return Buffer.alloc(0)
        }
        if (this.card !== card)
          throw new StationError('card-removed', {}, 'SCardTransmit error: Card was removed.(0x80100069)')
        return card.process(apdu)
      },
    }
    return job(channel)
  }

  /** Put a card (back) in. */
  insert(card: CardProcessor): void {
    this.card = card
  }

  /** The APDU headers (CLA INS P1 P2) sent so far, for trace assertions. */
  headers(): string[] {
    return this.sent.map((h) => h.slice(0, 8))
  }
}

/** A non-GIDS card: answers every SELECT with 6A82 and everything else with 6D00. */
export function foreignCard(): CardProcessor {
  return {
    atr: Buffer.from('3b9513810180 73ff01000b'.replace(/\s/g, ''), 'hex'),
    process: (apdu) => Buffer.from(apdu[1] === 0xa4 ? [0x6a, 0x82] : [0x6d, 0x00]),
    powerOn() {},
    reset() {},
    powerOff() {},
  }
}
