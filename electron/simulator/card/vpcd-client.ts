import { connect as netConnect } from 'node:net'
import type { Socket } from 'node:net'
import { SW, buildResponse } from '../../services/card/apdu'
import type { Logger } from '../../services/log'
import { silentLogger } from '../../services/log'
import type { GidsCard } from './gids-card'

/**
 * The virtual card as a vpcd client (pcsc-lab.md §2b): vpcd inside pcscd listens on 35963 + slot,
 * the card connects (= insert) and closes (= remove). Frames in both directions are a 2-byte
 * big-endian length then the payload. vpcd 0.8 sends header and payload in separate segments, so
 * frames are reassembled. A 1-byte frame is a control byte: 00 power off, 01 power on, 02 reset
 * (none of them answered: a reply would desynchronise the stream), 04 get ATR (answered with the ATR).
 * Anything longer is an APDU and is always answered (vpcd has no timeouts: an unanswered APDU hangs
 * the reader and the SCardTransmit caller).
 */

/** First vpcd port; slot n listens on BASE + n (pcsc-lab.md §1 "Slots"). */
export const VPCD_BASE_PORT = 35963

/** What the transport needs from a card. */
export type CardProcessor = Pick<GidsCard, 'atr' | 'process' | 'powerOn' | 'reset' | 'powerOff'>

/** vpcd control bytes (VPCD_CTRL_*). */
export const VPCD_CTRL = { OFF: 0x00, ON: 0x01, RESET: 0x02, ATR: 0x04 } as const

/** `uint16 BE length ‖ payload`. */
export function vpcdFrame(payload: Uint8Array): Buffer {
  if (payload.length > 0xffff) throw new RangeError('vpcd frame payload is at most 65535 bytes')
  const header = Buffer.from([payload.length >> 8, payload.length & 0xff])
  return Buffer.concat([header, payload])
}

/** Reassembles vpcd frames from arbitrary TCP segments. */
export class VpcdFrameDecoder {
  private buf: Buffer = Buffer.alloc(0)

  /** Feed one received chunk; returns every frame it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk)
    const frames: Buffer[] = []
    while (this.buf.length >= 2) {
      const n = this.buf.readUInt16BE(0)
      if (this.buf.length < 2 + n) break
      frames.push(Buffer.from(this.buf.subarray(2, 2 + n)))
      this.buf = this.buf.subarray(2 + n)
    }
    return frames
  }

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.buf.length
  }
}

/** Events of a vpcd card connection. */
export type VpcdEvent =
  | { type: 'connected' }
  /** First GET ATR after connecting: vpcd accepted the card, PC/SC now reports it present. */
  | { type: 'present' }
  | { type: 'power'; on: boolean; reset: boolean }
  /** Socket closed; `byPeer` when vpcd/pcscd closed it rather than remove(). */
  | { type: 'removed'; byPeer: boolean }

/** Options of a vpcd card connection. */
export interface VpcdCardOptions {
  card: CardProcessor
  /** 0 or 1 ("Virtual PCD 00 00" / "00 01"). Ignored when `port` is given. */
  slot?: number
  port?: number
  host?: string
  logger?: Logger
  onEvent?: (event: VpcdEvent) => void
  /**
   * Keep the card "in the reader" across pcscd restarts: while inserted, retry the connection every
   * `reconnectMs` after a refused connect or a close by vpcd (readers come back when pcscd does,
   * pcsc-lab.md §4). Absent: one attempt, and insert() rejects when it fails.
   */
  reconnectMs?: number
}

/** One virtual card plugged into a vpcd slot. */
export class VpcdCard {
  private socket: Socket | null = null
  /** The user wants the card in the reader (insert() called, remove() not). */
  private wanted = false
  private retry: NodeJS.Timeout | null = null
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  private readonly log: Logger
  private card: CardProcessor

  constructor(private readonly opts: VpcdCardOptions) {
    this.log = opts.logger ?? silentLogger
    this.card = opts.card
  }

  /** TCP port this card connects to. */
  get port(): number {
    return this.opts.port ?? VPCD_BASE_PORT + (this.opts.slot ?? 0)
  }

  /** True while the TCP connection is open (the card is "in the reader"). */
  get inserted(): boolean {
    return this.socket !== null && !this.socket.connecting
  }

  /** Swap the card (only while removed: a real card cannot be swapped inside the reader). */
  setCard(card: CardProcessor): void {
    if (this.wanted) throw new Error('remove the card before swapping it')
    this.card = card
  }

  /**
   * Insert = connect to vpcd. Resolves once connected. Without `reconnectMs` it rejects when the
   * connection fails (e.g. ECONNREFUSED without pcscd); with it, it keeps trying until connected
   * or until remove() (which resolves it).
   */
  insert(): Promise<void> {
    if (this.inserted) return Promise.resolve()
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
    this.wanted = true
    if (!this.socket && !this.retry) this.attempt()
    return done
  }

  /** Remove = close the connection (and stop reconnecting). Resolves when the socket is closed. */
  remove(): Promise<void> {
    this.wanted = false
    if (this.retry) clearTimeout(this.retry)
    this.retry = null
    this.settle(null)
    const socket = this.socket
    if (!socket) return Promise.resolve()
    return new Promise((resolve) => {
      socket.once('close', () => resolve())
      socket.destroy()
    })
  }

  private settle(error: Error | null): void {
    for (const w of this.waiters.splice(0)) {
      if (error) w.reject(error)
      else w.resolve()
    }
  }

  private scheduleRetry(): void {
    if (!this.wanted || this.opts.reconnectMs === undefined || this.retry) return
    this.retry = setTimeout(() => {
      this.retry = null
      if (this.wanted && !this.socket) this.attempt()
    }, this.opts.reconnectMs)
  }

  private attempt(): void {
    const socket = netConnect({ port: this.port, host: this.opts.host ?? '127.0.0.1' })
    const decoder = new VpcdFrameDecoder()
    let announced = false
    let connected = false
    socket.setNoDelay(true)
    this.socket = socket
    socket.on('connect', () => {
      connected = true
      this.card.powerOn() // a fresh insertion starts cold
      this.emit({ type: 'connected' })
      this.settle(null)
    })
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const reply = this.handle(frame)
        if (reply) socket.write(reply)
        if (!announced && frame.length === 1 && frame[0] === VPCD_CTRL.ATR) {
          announced = true
          this.emit({ type: 'present' })
        }
      }
    })
    socket.on('error', (error) => {
      this.log.debug('virtual card: vpcd connection error', { port: this.port, code: errorCode(error) })
      if (connected) return
      if (this.socket === socket) this.socket = null
      if (this.opts.reconnectMs === undefined) {
        this.wanted = false
        this.settle(error)
      }
    })
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null
      if (connected) this.emit({ type: 'removed', byPeer: this.wanted })
      this.scheduleRetry()
    })
  }

  /** Answer one frame: control bytes (only GET ATR is answered) or an APDU (always answered). */
  private handle(frame: Buffer): Buffer | null {
    try {
      if (frame.length === 1) {
        switch (frame[0]) {
          case VPCD_CTRL.OFF:
            this.card.powerOff()
            this.emit({ type: 'power', on: false, reset: false })
            return null
          case VPCD_CTRL.ON:
            this.card.powerOn()
            this.emit({ type: 'power', on: true, reset: false })
            return null
          case VPCD_CTRL.RESET:
            this.card.reset()
            this.emit({ type: 'power', on: true, reset: true })
            return null
          case VPCD_CTRL.ATR:
            return vpcdFrame(this.card.atr)
          default:
            this.log.warn('virtual card: unknown vpcd control byte', { byte: frame[0] })
            return null
        }
      }
      if (frame.length === 0) return null
      return vpcdFrame(this.card.process(frame))
    } catch (error) {
      // Never leave an APDU unanswered (pcsc-lab.md §2b "No timeouts anywhere").
      this.log.error('virtual card: frame handling failed', { error })
      return frame.length > 1 ? vpcdFrame(buildResponse(null, SW.UNKNOWN)) : null
    }
  }

  private emit(event: VpcdEvent): void {
    try {
      this.opts.onEvent?.(event)
    } catch (error) {
      this.log.error('virtual card: event listener failed', { error })
    }
  }
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown'
}
