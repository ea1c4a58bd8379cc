/**
 * The simulator's clock (SIM-D1, SIM-S2). Either real time (plus an offset the control API can advance)
 * or a fixed virtual time. A "stamp" (request Submitted/Completed) consumes the next entry of the clock
 * script when there is one, and the clock jumps to it, so the docs timeline gets its documented dates.
 */
export class SimClock {
  private virtualMs: number | null
  private offsetMs = 0
  private script: number[]

  constructor(opts: { start?: string | number | null; script?: readonly string[] } = {}) {
    this.virtualMs = opts.start == null ? null : toMs(opts.start)
    this.script = (opts.script ?? []).map(toMs)
  }

  /** Current time in ms since the epoch. */
  now(): number {
    return this.virtualMs ?? Date.now() + this.offsetMs
  }

  /** Time for a recorded event: the next scripted instant if any (the clock moves there), else now(). */
  stamp(): number {
    const next = this.script.shift()
    if (next === undefined) return this.now()
    this.set(next)
    return next
  }

  /** Move the clock forward by `ms`. */
  advance(ms: number): void {
    if (this.virtualMs === null) this.offsetMs += ms
    else this.virtualMs += ms
  }

  /** Jump to an instant (virtual clocks stay virtual; real clocks get an offset). */
  set(at: string | number): void {
    const ms = toMs(at)
    if (this.virtualMs === null) this.offsetMs = ms - Date.now()
    else this.virtualMs = ms
  }

  /** Serializable state. */
  getState(): { virtualMs: number | null; offsetMs: number; script: number[] } {
    return { virtualMs: this.virtualMs, offsetMs: this.offsetMs, script: [...this.script] }
  }

  /** Restore a state taken with getState(). */
  setState(s: { virtualMs: number | null; offsetMs: number; script: number[] }): void {
    this.virtualMs = s.virtualMs
    this.offsetMs = s.offsetMs
    this.script = [...s.script]
  }
}

function toMs(v: string | number): number {
  const ms = typeof v === 'number' ? v : Date.parse(v)
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${String(v)}`)
  return ms
}

/**
 * Json.NET's ISO UTC form: `yyyy-MM-ddTHH:mm:ss[.fffffff]Z` with trailing fraction zeros trimmed
 * (SIM-R10; e.g. "2015-07-07T23:36:21.93Z").
 */
export function formatUtc(ms: number): string {
  const iso = new Date(ms).toISOString() // 2015-07-07T23:36:21.930Z
  const [main, frac = ''] = iso.slice(0, -1).split('.')
  const trimmed = frac.replace(/0+$/, '')
  return `${main}${trimmed ? '.' + trimmed : ''}Z`
}

/** A date with no zone (unspecified .NET DateTimeKind), as certificate dates are sent (§3.8, OQ-18). */
export function formatNoZone(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}
