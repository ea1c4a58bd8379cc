import { createRequire } from 'node:module'
import { join } from 'node:path'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import { connectError, isServiceGone, isTransientConnectError, transmitError } from './pcsc-errors'
import type { BackendListener, CardConnection, ReaderBackend } from './types'

/** The subset of pcsclite's CardReader the backend uses (structural, so tests can fake it). */
export interface CardReader {
  readonly name: string
  readonly connected: boolean
  readonly SCARD_SHARE_SHARED: number
  readonly SCARD_LEAVE_CARD: number
  readonly SCARD_STATE_PRESENT: number
  readonly SCARD_STATE_EMPTY: number
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  on(event: 'end', listener: () => void): unknown
  connect(options: { share_mode: number }, cb: (err: unknown, protocol: number) => void): void
  disconnect(disposition: number, cb: (err: unknown) => void): void
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, data: Buffer) => void): void
  close(): void
}

/** The subset of pcsclite's PCSCLite context the backend uses. */
export interface PCSCLite {
  on(event: 'error', listener: (error: unknown) => void): unknown
  on(event: 'reader', listener: (reader: CardReader) => void): unknown
  close(): void
}

/** The pcsclite module's factory (`require('pcsclite')`). */
export type PcscFactory = () => PCSCLite

/**
 * Load pcsclite lazily: it is an optionalDependency (a native NAN addon) and may have failed to
 * build; the station must then start and say "smart-card support unavailable" (toolchain.md §8).
 */
export function defaultLoadPcsc(): PcscFactory {
  // In the Electron bundle and under tsx `require` is the module's own; elsewhere resolve from the app dir.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  return req('pcsclite') as PcscFactory
}

/** Options of the pcsc backend. */
export interface PcscBackendOptions {
  log: Logger
  loadPcsc?: () => PcscFactory
  /** First retry delay after the service is found absent; doubles up to maxRetryMs. */
  initialRetryMs?: number
  maxRetryMs?: number
  /** Response buffer size for transmit: extended APDUs up to 65535 bytes (pcsc-lab.md §2b). */
  maxResponseBytes?: number
  /** Attempts for transient connect errors right after insertion. */
  connectAttempts?: number
  /** First re-list delay after a reader's monitor died without a list change; doubles up to maxRetryMs. */
  relistMs?: number
  /** How long a re-list waits for a lost reader to be announced again before it counts as an attempt. */
  relistGraceMs?: number
  /** Re-lists before a reader that never comes back is reported gone. */
  relistAttempts?: number
}

/** Real PC/SC readers through pcsclite, self-healing when pcscd is absent or dies. */
export class PcscBackend implements ReaderBackend {
  readonly kind = 'pcsc' as const
  private listener: BackendListener | null = null
  private factory: PcscFactory | null = null
  private pcsc: PCSCLite | null = null
  private readonly readers = new Map<string, CardReader>()
  /** Per reader: resolves at its first status event, i.e. once its monitor thread is in its wait loop. */
  private readonly settled = new Map<string, Promise<void>>()
  private retryTimer: NodeJS.Timeout | null = null
  private retryMs: number
  /** Readers whose monitor died without a list change, waiting for a re-list to announce them again. */
  private readonly lost = new Map<string, number>()
  private relistTimer: NodeJS.Timeout | null = null
  private relistMs: number
  private closed = false
  private readonly opts: Required<Omit<PcscBackendOptions, 'log' | 'loadPcsc'>> & PcscBackendOptions

  constructor(options: PcscBackendOptions) {
    this.opts = {
      initialRetryMs: 500,
      maxRetryMs: 10_000,
      maxResponseBytes: 65_538,
      connectAttempts: 4,
      relistMs: 500,
      relistGraceMs: 3000,
      relistAttempts: 5,
      ...options,
    }
    this.retryMs = this.opts.initialRetryMs
    this.relistMs = this.opts.relistMs
  }

  start(listener: BackendListener): void {
    this.listener = listener
    try {
      this.factory = (this.opts.loadPcsc ?? defaultLoadPcsc)()
    } catch (error) {
      this.opts.log.warn('pcsc: native module unavailable; smart-card support disabled', { error })
      listener.serviceState('unsupported')
      return
    }
    this.establish()
  }

  private establish(): void {
    if (this.closed || !this.factory || !this.listener) return
    let pcsc: PCSCLite
    try {
      // Throws synchronously when pcscd is not running (pcsc-lab.md §3).
      pcsc = this.factory()
    } catch (error) {
      this.serviceDown(error)
      return
    }
    this.pcsc = pcsc
    pcsc.on('error', (error: unknown) => {
      if (this.pcsc !== pcsc) return // error from a context we already dropped (close emits "cancelled")
      this.serviceDown(error)
    })
    pcsc.on('reader', (reader: CardReader) => this.attach(pcsc, reader))
    this.retryMs = this.opts.initialRetryMs
    this.opts.log.info('pcsc: service available')
    this.listener.serviceState('available')
  }

  private attach(pcsc: PCSCLite, reader: CardReader): void {
    const name = reader.name
    this.readers.set(name, reader)
    if (this.lost.delete(name)) this.opts.log.info('pcsc: reader back after a re-list', { reader: name })
    if (this.lost.size === 0) this.relistMs = this.opts.relistMs
    let firstStatus: () => void = () => {}
    this.settled.set(name, new Promise<void>((resolve) => (firstStatus = resolve)))
    this.listener?.readerAdded(name)
    let last: number | null = null
    reader.on('status', (status) => {
      firstStatus()
      if (this.pcsc !== pcsc) return
      // Diff with XOR, never ===: the upper 16 bits carry pcsc-lite's per-reader event counter.
      const changes = last === null ? ~0 : last ^ status.state
      last = status.state
      if (changes & (reader.SCARD_STATE_PRESENT | reader.SCARD_STATE_EMPTY)) {
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0
        // A mute card is PRESENT with an empty ATR (state 0x220): no ATR is `null`, never "" (field report).
        const atr = present && status.atr && status.atr.length > 0 ? status.atr.toString('hex') : null
        this.listener?.cardStatus(name, present, atr)
      }
    })
    reader.on('error', (error: unknown) => {
      if (this.pcsc !== pcsc) return
      this.opts.log.warn('pcsc: reader error', { reader: name, error })
    })
    reader.on('end', () => {
      if (this.pcsc !== pcsc) return
      // The monitor ended but the context lives: a reader unplugged, or its monitor died (field report:
      // 0x80100017 then "end" with the reader still plugged in — pcsclite announces it again only when the reader
      // LIST changes). Re-list to tell which; meanwhile it shows as reconnecting, not gone.
      this.readers.delete(name)
      this.lost.set(name, 0)
      this.listener?.readerReconnecting(name)
      this.scheduleRelist()
    })
  }

  private scheduleRelist(): void {
    if (this.closed || this.relistTimer || this.lost.size === 0) return
    const delay = this.relistMs
    this.relistMs = Math.min(this.relistMs * 2, this.opts.maxRetryMs)
    this.relistTimer = setTimeout(() => {
      this.relistTimer = null
      this.relist()
    }, delay)
  }

  /**
   * A new PC/SC context (the only way to make pcsclite list an unchanged reader again): every reader is announced
   * anew and re-reads its card state; readers that stay missing after the grace time count one attempt, and are
   * reported gone after `relistAttempts`.
   */
  private relist(): void {
    if (this.closed || this.lost.size === 0) return
    this.opts.log.info('pcsc: re-listing readers', { lost: [...this.lost.keys()] })
    this.release({ announce: false })
    this.establish()
    setTimeout(() => {
      if (this.closed) return
      for (const [name, attempts] of [...this.lost]) {
        if (attempts + 1 >= this.opts.relistAttempts) {
          this.lost.delete(name)
          this.opts.log.warn('pcsc: reader did not come back; removed', { reader: name })
          this.listener?.readerRemoved(name)
        } else {
          this.lost.set(name, attempts + 1)
        }
      }
      this.scheduleRelist()
    }, this.opts.relistGraceMs).unref?.()
  }

  /** The service is absent or died: drop every object (they are dead now) and retry with backoff. */
  private serviceDown(error: unknown): void {
    const wasUp = this.pcsc !== null
    this.release()
    this.opts.log.warn('pcsc: service unavailable; retrying', {
      error,
      retryInMs: this.retryMs,
      gone: isServiceGone(error),
    })
    this.listener?.serviceState('unavailable')
    if (wasUp) this.retryMs = this.opts.initialRetryMs
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, this.opts.maxRetryMs)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.establish()
    }, delay)
  }

  /**
   * Close every reader and the context; both are needed for the process to exit (pcsc-lab.md §3). A re-list
   * (`announce: false`) keeps the readers on screen: the new context announces them again.
   */
  private release(opts: { announce: boolean } = { announce: true }): void {
    const pcsc = this.pcsc
    this.pcsc = null
    for (const [name, reader] of this.readers) {
      try {
        reader.close()
      } catch {
        // already dead
      }
      if (opts.announce) this.listener?.readerRemoved(name)
      else this.lost.set(name, this.lost.get(name) ?? 0)
    }
    if (opts.announce) {
      // The service went away: readers waiting for a re-list are gone with it (they come back with the service).
      for (const name of this.lost.keys()) if (!this.readers.has(name)) this.listener?.readerRemoved(name)
      this.lost.clear()
    }
    this.readers.clear()
    this.settled.clear()
    if (pcsc) {
      // close() emits 'error' "Command cancelled"; without a listener that is an unhandled-error crash.
      pcsc.on('error', () => {})
      try {
        pcsc.close()
      } catch {
        // already dead
      }
    }
  }

  async connect(readerName: string): Promise<CardConnection> {
    const reader = this.readers.get(readerName)
    if (!reader) throw new StationError('reader-unavailable', {}, `unknown reader ${readerName}`)
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connectOnce(reader)
      } catch (error) {
        if (attempt >= this.opts.connectAttempts || !isTransientConnectError(error)) throw connectError(error)
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt))
      }
    }
  }

  private connectOnce(reader: CardReader): Promise<CardConnection> {
    return new Promise((resolve, reject) => {
      if (reader.connected) {
        // connect() on a connected reader calls back without a protocol (pcsc-lab.md §3): reset first.
        reader.disconnect(reader.SCARD_LEAVE_CARD, () => this.connectOnce(reader).then(resolve, reject))
        return
      }
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, protocol) => {
        if (err) return reject(err)
        resolve(this.connection(reader, protocol))
      })
    })
  }

  private connection(reader: CardReader, protocol: number): CardConnection {
    const max = this.opts.maxResponseBytes
    let open = true
    return {
      protocol,
      transmit: (apdu) =>
        new Promise<Buffer>((resolve, reject) => {
          if (!open) return reject(new StationError('card-removed', {}, 'connection closed'))
          reader.transmit(Buffer.from(apdu), max, protocol, (err, data) => {
            if (err) return reject(transmitError(err))
            // A card pulled during an APDU yields an empty "success" (pcsc-lab.md §3 gotchas).
            if (!data || data.length < 2)
              return reject(new StationError('card-removed', {}, 'empty response'))
            resolve(data)
          })
        }),
      disconnect: () =>
        new Promise<void>((resolve) => {
          if (!open) return resolve()
          open = false
          try {
            reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve())
          } catch {
            resolve()
          }
        }),
    }
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    if (this.relistTimer) clearTimeout(this.relistTimer)
    this.relistTimer = null
    // pcsclite's CardReader.close() joins the reader's monitor thread; cancelling it before that thread
    // has entered its first SCardGetStatusChange can leave it waiting forever, and the join (on the main
    // thread) hangs the process. Reproduced in the lab when closing right after start with a card present.
    // So wait (bounded) until every reader has reported its first status before closing.
    const pending = [...this.settled.values()]
    if (pending.length) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.all(pending), new Promise((r) => (timer = setTimeout(r, 2000)))])
      clearTimeout(timer)
    }
    this.release()
  }
}
