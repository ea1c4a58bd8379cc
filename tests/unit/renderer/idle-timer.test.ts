import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  IdleTimer,
  idleNext,
  idlePolicy,
  secondsLeft,
  type IdleState,
  type IdleView,
} from '../../../renderer/features/kiosk/idle-timer'
import { announcedSeconds } from '../../../renderer/features/kiosk/idle-countdown'

afterEach(() => {
  vi.useRealTimers()
})

describe('idle policy', () => {
  it('counts down the last 30 s, or the second half of a shorter timeout', () => {
    expect(idlePolicy(300)).toEqual({ timeoutMs: 300_000, countdownMs: 30_000 })
    expect(idlePolicy(60)).toEqual({ timeoutMs: 60_000, countdownMs: 30_000 })
    expect(idlePolicy(40)).toEqual({ timeoutMs: 40_000, countdownMs: 20_000 })
    expect(idlePolicy(5)).toEqual({ timeoutMs: 5_000, countdownMs: 2_500 })
  })
})

describe('idleNext (pure)', () => {
  const policy = idlePolicy(60)
  const active: IdleState = { phase: 'active', lastInputAt: 1_000 }

  it.each<[string, IdleState, Parameters<typeof idleNext>[1], IdleState]>([
    ['active, early tick: unchanged', active, { type: 'tick', at: 30_999 }, active],
    [
      'active, tick at the countdown: warning',
      active,
      { type: 'tick', at: 31_000 },
      { phase: 'warning', deadline: 61_000 },
    ],
    [
      'active, tick past the deadline (sleep): expired',
      active,
      { type: 'tick', at: 90_000 },
      { phase: 'expired' },
    ],
    [
      'active, input: counts again',
      active,
      { type: 'input', at: 5_000 },
      { phase: 'active', lastInputAt: 5_000 },
    ],
    ['active, hold: held', active, { type: 'hold', held: true, at: 2_000 }, { phase: 'held' }],
    ['active, release: unchanged', active, { type: 'hold', held: false, at: 2_000 }, active],
    [
      'warning, input: back to active',
      { phase: 'warning', deadline: 61_000 },
      { type: 'input', at: 40_000 },
      { phase: 'active', lastInputAt: 40_000 },
    ],
    [
      'warning, tick before the deadline: unchanged',
      { phase: 'warning', deadline: 61_000 },
      { type: 'tick', at: 60_999 },
      { phase: 'warning', deadline: 61_000 },
    ],
    [
      'warning, tick at the deadline: expired',
      { phase: 'warning', deadline: 61_000 },
      { type: 'tick', at: 61_000 },
      { phase: 'expired' },
    ],
    [
      'warning, hold: held',
      { phase: 'warning', deadline: 61_000 },
      { type: 'hold', held: true, at: 50_000 },
      { phase: 'held' },
    ],
    ['held, input: still held', { phase: 'held' }, { type: 'input', at: 9_000 }, { phase: 'held' }],
    ['held, tick: still held', { phase: 'held' }, { type: 'tick', at: 999_000 }, { phase: 'held' }],
    [
      'held, release: the whole time again',
      { phase: 'held' },
      { type: 'hold', held: false, at: 9_000 },
      { phase: 'active', lastInputAt: 9_000 },
    ],
    [
      'expired, tick: stays expired',
      { phase: 'expired' },
      { type: 'tick', at: 999_000 },
      { phase: 'expired' },
    ],
    [
      'expired, input: active',
      { phase: 'expired' },
      { type: 'input', at: 100_000 },
      { phase: 'active', lastInputAt: 100_000 },
    ],
  ])('%s', (_name, state, event, expected) => {
    expect(idleNext(state, event, policy)).toEqual(expected)
  })

  it('returns the same object when nothing changed', () => {
    expect(idleNext(active, { type: 'tick', at: 2_000 }, policy)).toBe(active)
    const held: IdleState = { phase: 'held' }
    expect(idleNext(held, { type: 'hold', held: true, at: 2_000 }, policy)).toBe(held)
  })

  it('rounds the seconds left up, never below 1', () => {
    expect(secondsLeft({ phase: 'warning', deadline: 10_000 }, 0)).toBe(10)
    expect(secondsLeft({ phase: 'warning', deadline: 10_000 }, 100)).toBe(10)
    expect(secondsLeft({ phase: 'warning', deadline: 10_000 }, 9_999)).toBe(1)
    expect(secondsLeft({ phase: 'warning', deadline: 10_000 }, 10_000)).toBe(1)
  })
})

describe('IdleTimer (fake timers)', () => {
  function start(idleTimeoutSec: number) {
    vi.useFakeTimers()
    const views: IdleView[] = []
    const onExpire = vi.fn()
    const timer = new IdleTimer({
      policy: idlePolicy(idleTimeoutSec),
      onView: (v) => views.push(v),
      onExpire,
    })
    return { timer, views, onExpire }
  }

  it('opens the countdown for the last 30 s, counts every second, then expires once', () => {
    const { timer, views, onExpire } = start(60)
    vi.advanceTimersByTime(29_999)
    expect(views).toEqual([])
    vi.advanceTimersByTime(1)
    expect(views).toEqual([{ countdown: true, seconds: 30 }])
    vi.advanceTimersByTime(1_000)
    expect(views.at(-1)).toEqual({ countdown: true, seconds: 29 })
    vi.advanceTimersByTime(28_999)
    expect(views.at(-1)).toEqual({ countdown: true, seconds: 1 })
    expect(onExpire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onExpire).toHaveBeenCalledTimes(1)
    expect(views.at(-1)).toEqual({ countdown: false })
    expect(views.filter((v) => v.countdown)).toHaveLength(30)
    // Expired stays expired until someone comes back: no second reset.
    vi.advanceTimersByTime(600_000)
    expect(onExpire).toHaveBeenCalledTimes(1)
    expect(timer.current).toEqual({ phase: 'expired' })
    timer.input()
    vi.advanceTimersByTime(60_000)
    expect(onExpire).toHaveBeenCalledTimes(2)
    timer.dispose()
  })

  it('input restarts the count; input during the countdown closes it', () => {
    const { timer, views, onExpire } = start(60)
    vi.advanceTimersByTime(25_000)
    timer.input()
    vi.advanceTimersByTime(29_000)
    expect(views).toEqual([])
    vi.advanceTimersByTime(1_000)
    expect(views).toEqual([{ countdown: true, seconds: 30 }])
    vi.advanceTimersByTime(10_000)
    timer.input()
    expect(views.at(-1)).toEqual({ countdown: false })
    vi.advanceTimersByTime(29_999)
    expect(onExpire).not.toHaveBeenCalled()
    timer.dispose()
  })

  it('a short timeout counts down its second half (5 s → 2.5 s)', () => {
    const { timer, views, onExpire } = start(5)
    vi.advanceTimersByTime(2_500)
    expect(views).toEqual([{ countdown: true, seconds: 3 }])
    vi.advanceTimersByTime(500)
    expect(views.at(-1)).toEqual({ countdown: true, seconds: 2 })
    vi.advanceTimersByTime(2_000)
    expect(onExpire).toHaveBeenCalledTimes(1)
    timer.dispose()
  })

  it('holds while the station works and gives the whole time again after it', () => {
    const { timer, views, onExpire } = start(60)
    vi.advanceTimersByTime(40_000)
    expect(views.at(-1)).toEqual({ countdown: true, seconds: 20 })
    timer.hold(true)
    expect(views.at(-1)).toEqual({ countdown: false })
    vi.advanceTimersByTime(3_600_000)
    expect(onExpire).not.toHaveBeenCalled()
    timer.hold(false)
    vi.advanceTimersByTime(59_999)
    expect(onExpire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onExpire).toHaveBeenCalledTimes(1)
    timer.dispose()
  })

  it('does nothing after dispose', () => {
    const { timer, views, onExpire } = start(60)
    timer.dispose()
    vi.advanceTimersByTime(600_000)
    timer.input()
    expect(views).toEqual([])
    expect(onExpire).not.toHaveBeenCalled()
  })
})

describe('countdown announcements', () => {
  it('announces the first count, every tenth and five; the latest one reached in between', () => {
    const heard = [30, 29, 21, 20, 19, 11, 10, 9, 6, 5, 4, 1].map((s) => announcedSeconds(s, 30))
    expect(heard).toEqual([30, 30, 30, 20, 20, 20, 10, 10, 10, 5, 5, 5])
    expect([3, 2, 1].map((s) => announcedSeconds(s, 3))).toEqual([3, 3, 3])
  })
})
