import { assertNever } from '../../../shared/result'

/** The longest countdown shown before an idle reset, in ms. */
export const MAX_COUNTDOWN_MS = 30_000

/** Timing of the kiosk idle reset, in ms. */
export interface IdlePolicy {
  /** Time without input before the station returns to Home. */
  timeoutMs: number
  /** The last part of `timeoutMs`, shown as a countdown: min(30 s, timeout / 2). */
  countdownMs: number
}

/**
 * The policy for `app:info.idleTimeoutSec` (configuration `idleTimeoutSec`, at least 5 s): the countdown is the last
 * 30 s, or the second half of a shorter timeout (a 5 s timeout shows 2.5 s), so it never takes the whole wait.
 */
export function idlePolicy(idleTimeoutSec: number): IdlePolicy {
  const timeoutMs = Math.max(1, idleTimeoutSec) * 1000
  return { timeoutMs, countdownMs: Math.min(MAX_COUNTDOWN_MS, timeoutMs / 2) }
}

/** Where the idle reset stands. */
export type IdleState =
  /** Counting from the last input. */
  | { phase: 'active'; lastInputAt: number }
  /** The station is working for the operator (an intent in flight, a step running): not counting. */
  | { phase: 'held' }
  /** The countdown runs until `deadline` (ms). */
  | { phase: 'warning'; deadline: number }
  /** The station was reset; nothing counts until the next input. */
  | { phase: 'expired' }

/** What moves the idle reset. Times are ms on the driver's clock. */
export type IdleEvent =
  /** Keyboard, pointer, touch, or a card inserted/removed. */
  | { type: 'input'; at: number }
  /** The station started working (`held: true`) or waits for people again (`held: false`). */
  | { type: 'hold'; held: boolean; at: number }
  /** Time passed. */
  | { type: 'tick'; at: number }

/**
 * Pure reducer of the idle reset: input starts the count again (and dismisses the countdown), work holds it, time
 * moves it to the countdown and then to `expired` — the moment the station resets. Returns the same object when
 * nothing changed.
 */
export function idleNext(state: IdleState, event: IdleEvent, policy: IdlePolicy): IdleState {
  switch (event.type) {
    case 'input':
      if (state.phase === 'held') return state
      return { phase: 'active', lastInputAt: event.at }
    case 'hold':
      if (event.held) return state.phase === 'held' ? state : { phase: 'held' }
      // The work ended: people get the whole time again to read what it says.
      return state.phase === 'held' ? { phase: 'active', lastInputAt: event.at } : state
    case 'tick':
      switch (state.phase) {
        case 'active': {
          const deadline = state.lastInputAt + policy.timeoutMs
          if (event.at >= deadline) return { phase: 'expired' }
          return event.at >= deadline - policy.countdownMs ? { phase: 'warning', deadline } : state
        }
        case 'warning':
          return event.at >= state.deadline ? { phase: 'expired' } : state
        case 'held':
        case 'expired':
          return state
        default:
          return assertNever(state)
      }
    default:
      return assertNever(event)
  }
}

/** Whole seconds left on the countdown at `now` (at least 1 while it runs). */
export function secondsLeft(state: Extract<IdleState, { phase: 'warning' }>, now: number): number {
  return Math.max(1, Math.ceil((state.deadline - now) / 1000))
}

/** What the countdown dialog shows: nothing, or the seconds left. */
export type IdleView = { countdown: false } | { countdown: true; seconds: number }

/** Inputs of {@link IdleTimer}. */
export interface IdleTimerOptions {
  policy: IdlePolicy
  /** Called when the view changes (countdown opened, a second passed, countdown closed). */
  onView: (view: IdleView) => void
  /** Called once each time the count runs out: reset the station. */
  onExpire: () => void
  now?: () => number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/**
 * Drives {@link idleNext} with one timer: due at the start of the countdown while active, then at each whole second of
 * the countdown. Input while active only moves `lastInputAt` (pointer moves are frequent); the due timer finds out.
 */
export class IdleTimer {
  private state: IdleState
  private view: IdleView = { countdown: false }
  private timer: unknown = null
  private disposed = false
  private readonly now: () => number
  private readonly setTimer: (run: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(private readonly options: IdleTimerOptions) {
    this.now = options.now ?? Date.now
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms))
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
    this.state = { phase: 'active', lastInputAt: this.now() }
    this.schedule()
  }

  /** Where the reset stands (tests, diagnostics). */
  get current(): IdleState {
    return this.state
  }

  /** Someone used the station (keyboard, pointer, touch) or a card came or went. */
  input(): void {
    const wasActive = this.state.phase === 'active'
    this.apply({ type: 'input', at: this.now() }, !wasActive)
  }

  /** The station is working (true) or waits for people again (false). */
  hold(held: boolean): void {
    this.apply({ type: 'hold', held, at: this.now() }, true)
  }

  /** Stop: no more calls. */
  dispose(): void {
    this.disposed = true
    this.cancel()
  }

  private apply(event: IdleEvent, reschedule: boolean): void {
    if (this.disposed) return
    const before = this.state
    this.state = idleNext(before, event, this.options.policy)
    if (this.state !== before && reschedule) this.schedule()
    this.publish()
    if (this.state.phase === 'expired' && before.phase !== 'expired') this.options.onExpire()
  }

  private tick = (): void => {
    this.timer = null
    this.apply({ type: 'tick', at: this.now() }, false)
    this.schedule()
  }

  private cancel(): void {
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
  }

  /** Arm the one timer for the next moment the state can change by itself. */
  private schedule(): void {
    this.cancel()
    if (this.disposed) return
    const now = this.now()
    const { policy } = this.options
    let due: number
    switch (this.state.phase) {
      case 'active':
        due = this.state.lastInputAt + policy.timeoutMs - policy.countdownMs
        break
      case 'warning':
        // The next whole second of the countdown (or its end).
        due = this.state.deadline - (secondsLeft(this.state, now) - 1) * 1000
        break
      case 'held':
      case 'expired':
        return
      default:
        return assertNever(this.state)
    }
    this.timer = this.setTimer(this.tick, Math.max(0, due - now))
  }

  private publish(): void {
    const next: IdleView =
      this.state.phase === 'warning'
        ? { countdown: true, seconds: secondsLeft(this.state, this.now()) }
        : { countdown: false }
    const same =
      next.countdown === this.view.countdown &&
      (!next.countdown || (this.view.countdown && next.seconds === this.view.seconds))
    if (same) return
    this.view = next
    this.options.onView(next)
  }
}
