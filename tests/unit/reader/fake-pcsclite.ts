import { EventEmitter } from 'node:events'
import type { CardReader, PCSCLite } from '../../../electron/services/reader/pcsc-backend'

/** A scriptable stand-in for pcsclite's CardReader (same constants and callback shapes). */
export class FakeReader extends EventEmitter implements CardReader {
  readonly SCARD_SHARE_SHARED = 2
  readonly SCARD_LEAVE_CARD = 0
  readonly SCARD_STATE_PRESENT = 0x20
  readonly SCARD_STATE_EMPTY = 0x10
  connected = false
  closed = false
  calls: string[] = []
  /** Next connect errors (FIFO), then success. */
  connectErrors: Error[] = []
  /** APDU handler. */
  respond: (apdu: Buffer) => Buffer | Error = () => Buffer.from([0x90, 0x00])

  constructor(readonly name: string) {
    super()
  }

  connect(options: { share_mode: number }, cb: (err: unknown, protocol: number) => void): void {
    this.calls.push(`connect:${options.share_mode}`)
    const err = this.connectErrors.shift()
    setImmediate(() => {
      if (err) return cb(err, 0)
      this.connected = true
      cb(null, 2)
    })
  }

  disconnect(disposition: number, cb: (err: unknown) => void): void {
    this.calls.push(`disconnect:${disposition}`)
    this.connected = false
    setImmediate(() => cb(null))
  }

  transmit(data: Buffer, _resLen: number, protocol: number, cb: (err: unknown, data: Buffer) => void): void {
    this.calls.push(`transmit:${protocol}:${data.toString('hex')}`)
    const out = this.respond(data)
    setImmediate(() => (out instanceof Error ? cb(out, Buffer.alloc(0)) : cb(null, out)))
  }

  close(): void {
    this.closed = true
  }

  /** Emit a pcsclite status event. */
  status(state: number, atr?: string): void {
    this.emit('status', atr ? { state, atr: Buffer.from(atr, 'hex') } : { state })
  }
}

/** A scriptable stand-in for the pcsclite context. */
export class FakePcsc extends EventEmitter implements PCSCLite {
  closed = false
  close(): void {
    this.closed = true
    // The real one emits "Command cancelled" on close (pcsc-lab.md §3).
    this.emit('error', new Error('SCardGetStatusChange error: Command cancelled.(0x80100002)'))
  }
  addReader(name: string): FakeReader {
    const r = new FakeReader(name)
    this.emit('reader', r)
    return r
  }
}

/** pcsclite's error for an absent pcscd. */
export const NO_SERVICE = () => new Error('SCardEstablishContext error: Service not available.(0x8010001d)')
/** pcsclite's error when pcscd dies. */
export const RPC_ERROR = () => new Error('SCardGetStatusChange error: RPC transport error.(0x80100013)')
