import { zeroize } from '../crypto/des'

/** Options of a PinVault (injectable timers: tests drive the expiry). */
export interface PinVaultOptions {
  /** How long a PIN may wait for the certificate step (default 15 min). */
  ttlMs?: number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/**
 * The new card's PIN, held in main between the PIN step and the certificate step (the card needs the user PIN to
 * generate keys and sign the certificate requests, gids-card-edge.md §9). Only here, only in memory, in a Buffer that
 * is zeroed when the certificates are installed, the enrollment is canceled or dismissed, the time runs out, or the
 * station closes — never in state, checkpoints, logs or events (conventions §10). After a restart it is empty and the
 * holder types the PIN again (prompt `holder-enters-pin`).
 */
export class PinVault {
  private readonly pins = new Map<string, { pin: Buffer; timer: unknown }>()
  private readonly ttlMs: number
  private readonly setTimer: (run: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(options: PinVaultOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000
    this.setTimer =
      options.setTimer ??
      ((run, ms) => {
        const t = setTimeout(run, ms)
        t.unref?.()
        return t
      })
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  }

  /** Keep a private copy of `pin` for `requestId` (replacing and zeroing any earlier one). */
  put(requestId: string, pin: Uint8Array): void {
    this.clear(requestId)
    const copy = Buffer.from(pin)
    const timer = this.setTimer(() => this.clear(requestId), this.ttlMs)
    this.pins.set(requestId, { pin: copy, timer })
  }

  /** A fresh copy of the PIN (the caller zeroes it), or null. */
  get(requestId: string): Buffer | null {
    const held = this.pins.get(requestId)
    return held ? Buffer.from(held.pin) : null
  }

  /** Zero and forget the PIN of one enrollment. */
  clear(requestId: string): void {
    const held = this.pins.get(requestId)
    if (!held) return
    this.clearTimer(held.timer)
    zeroize(held.pin)
    this.pins.delete(requestId)
  }

  /** Zero and forget every PIN (station close, idle reset). */
  clearAll(): void {
    for (const id of [...this.pins.keys()]) this.clear(id)
  }

  /** How many PINs are held. */
  get size(): number {
    return this.pins.size
  }
}
