import { afterEach, describe, expect, it, vi } from 'vitest'
import { CrashRecoveryPolicy } from '../../../electron/services/kiosk/crash-recovery'

afterEach(() => {
  vi.useRealTimers()
})

describe('crash recovery policy (fake clock)', () => {
  it('backs off 1 s, 2 s, 4 s, then relaunches on the fourth crash within 10 minutes', () => {
    vi.useFakeTimers()
    const policy = new CrashRecoveryPolicy()
    expect(policy.crashed()).toEqual({ action: 'reload', delayMs: 1_000, attempt: 1 })
    vi.advanceTimersByTime(30_000)
    expect(policy.crashed()).toEqual({ action: 'reload', delayMs: 2_000, attempt: 2 })
    vi.advanceTimersByTime(60_000)
    expect(policy.crashed()).toEqual({ action: 'reload', delayMs: 4_000, attempt: 3 })
    vi.advanceTimersByTime(5 * 60_000)
    expect(policy.crashed()).toEqual({ action: 'relaunch', crashes: 4 })
  })

  it('forgets crashes older than the window', () => {
    vi.useFakeTimers()
    const policy = new CrashRecoveryPolicy({ windowMs: 60_000 })
    policy.crashed()
    policy.crashed()
    policy.crashed()
    vi.advanceTimersByTime(60_000)
    expect(policy.crashed()).toEqual({ action: 'reload', delayMs: 1_000, attempt: 1 })
    vi.advanceTimersByTime(30_000)
    expect(policy.crashed()).toEqual({ action: 'reload', delayMs: 2_000, attempt: 2 })
  })

  it('caps the delay and follows its options', () => {
    let now = 0
    const policy = new CrashRecoveryPolicy({
      maxReloads: 10,
      baseDelayMs: 500,
      maxDelayMs: 3_000,
      now: () => now,
    })
    const delays: number[] = []
    for (let i = 0; i < 10; i++) {
      const d = policy.crashed()
      if (d.action === 'reload') delays.push(d.delayMs)
      now += 1_000
    }
    expect(delays).toEqual([500, 1_000, 2_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000])
    expect(policy.crashed()).toEqual({ action: 'relaunch', crashes: 11 })
  })
})
