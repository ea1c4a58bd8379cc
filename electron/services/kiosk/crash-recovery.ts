/** Tunables of {@link CrashRecoveryPolicy}. */
export interface CrashRecoveryOptions {
  /** Reloads allowed within {@link windowMs}; the next crash in that window relaunches the station. Default 3. */
  maxReloads?: number
  /** The sliding window in which crashes count, in ms. Default 10 minutes. */
  windowMs?: number
  /** Delay before the first reload, in ms; doubled for each further crash in the window. Default 1 s. */
  baseDelayMs?: number
  /** Upper bound of the reload delay, in ms. Default 30 s. */
  maxDelayMs?: number
  /** The clock (ms since the epoch). Default `Date.now`. */
  now?: () => number
}

/** What to do after one crash. */
export type CrashDecision =
  /** Load the window again after `delayMs`; `attempt` counts the crashes in the window (1 = the first). */
  | { action: 'reload'; delayMs: number; attempt: number }
  /** Too many crashes in the window: relaunch the whole station. */
  | { action: 'relaunch'; crashes: number }

/**
 * When the window's renderer, the GPU process or a utility process dies, the kiosk window reloads with an exponential
 * backoff (1 s, 2 s, 4 s …); the `maxReloads + 1`-th crash within `windowMs` relaunches the whole station instead
 * (field-notes §4: auto-recover with `render-process-gone` / `child-process-gone` + `app.relaunch(); app.exit()`).
 * Plain TypeScript, no timers of its own: the glue waits `delayMs` and acts.
 */
export class CrashRecoveryPolicy {
  private crashes: number[] = []
  private readonly maxReloads: number
  private readonly windowMs: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly now: () => number

  constructor(options: CrashRecoveryOptions = {}) {
    this.maxReloads = options.maxReloads ?? 3
    this.windowMs = options.windowMs ?? 10 * 60_000
    this.baseDelayMs = options.baseDelayMs ?? 1_000
    this.maxDelayMs = options.maxDelayMs ?? 30_000
    this.now = options.now ?? Date.now
  }

  /** Record one crash now and decide: reload after a delay, or relaunch. */
  crashed(): CrashDecision {
    const now = this.now()
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now]
    const attempt = this.crashes.length
    if (attempt > this.maxReloads) return { action: 'relaunch', crashes: attempt }
    const delayMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1))
    return { action: 'reload', delayMs, attempt }
  }
}
