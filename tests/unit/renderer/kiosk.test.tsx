// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { virtualReader } from './fake-station'
import { GIDS_ATR, IDS, enrollmentView, newCard } from './fixtures'
import { flow, openEnrollment, settleAll, startApp, stopApp } from './harness'

// Kiosk mode in the renderer (issue "The station on a managed Windows desk", kiosk): the idle countdown and reset,
// the badge-removal reset on the summary, and the document-wide guards — with fake timers, never real waits.

afterEach(() => {
  stopApp()
  vi.useRealTimers()
})

const KIOSK = { kiosk: true, idleTimeoutSec: 60 }
const TYPED = '2468'

const choosePin = enrollmentView({
  step: 'pin',
  status: 'needs-holder',
  prompt: 'holder-chooses-pin',
  card: newCard(),
  lastFinishedStep: 'admin-key',
})

/** Advance the fake clock inside act, letting the promises it releases run. */
async function elapse(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
  })
}

const countdown = () => document.querySelector<HTMLElement>('[data-testid="idle-countdown"]')

/** The countdown dialog, once open (looked up by test id: see harness `findDialog` about jsdom and tabster). */
async function findCountdown(): Promise<HTMLElement> {
  return waitFor(() => {
    const dialog = countdown()
    if (!dialog) throw new Error('no countdown')
    return dialog
  })
}

describe('kiosk idle reset', () => {
  it('counts down the last 30 s, Continue keeps the page; at the end: Home, PIN gone, main releases its PINs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) })
    const { fake } = await openEnrollment(choosePin, { info: KIOSK })
    await user.type(await screen.findByTestId('holder-pin'), TYPED)
    expect(screen.getByTestId('holder-pin')).toHaveValue(TYPED)

    await elapse(29_000)
    expect(countdown()).toBeNull()
    await elapse(2_000)
    const dialog = await findCountdown()
    expect(dialog).toHaveAttribute('role', 'alertdialog')
    expect(dialog).toHaveTextContent('Still there?')
    expect(within(dialog).getByTestId('idle-seconds')).toHaveTextContent(
      /Returning to the start in (29|30) s/,
    )
    const announcer = within(dialog).getByTestId('idle-announcer')
    expect(announcer).toHaveAttribute('aria-live', 'polite')
    expect(announcer).toHaveTextContent('Returning to the start in 30 s')
    // The only control (the keyboard focus on it is checked in Chromium: tests/e2e/kiosk.spec.ts).
    expect(within(dialog).getAllByRole('button', { hidden: true })).toEqual([
      within(dialog).getByTestId('idle-continue'),
    ])
    await elapse(10_000)
    expect(within(dialog).getByTestId('idle-seconds')).toHaveTextContent(/in (19|20) s/)
    expect(announcer).toHaveTextContent(/in (20|30) s/)

    // Continue: the page and what was typed stay; the count starts again.
    await user.click(within(dialog).getByTestId('idle-continue'))
    await waitFor(() => expect(countdown()).toBeNull())
    expect(flow()).toHaveAttribute('data-prompt', 'holder-chooses-pin')
    expect(screen.getByTestId('holder-pin')).toHaveValue(TYPED)
    expect(fake.enrollment.releasePins).not.toHaveBeenCalled()

    // Nobody comes back: Home, the enrollment listed with Resume, the PIN field gone, main told.
    await elapse(61_000)
    await screen.findByTestId('task-issue')
    expect(screen.queryByTestId('enrollment')).toBeNull()
    expect(screen.queryByTestId('holder-pin')).toBeNull()
    expect(fake.enrollment.releasePins).toHaveBeenCalledTimes(1)
    expect(fake.enrollment.dismiss).not.toHaveBeenCalled()
    await waitFor(() => expect(countdown()).toBeNull())
    const item = screen.getByTestId('in-progress-item')
    expect(item).toHaveAttribute('data-request-id', choosePin.requestId)

    // Resumed: the PIN entry is empty.
    await user.click(within(item).getByTestId('resume-enrollment'))
    expect(await screen.findByTestId('holder-pin')).toHaveValue('')
  })

  it('waits while the station works; counts again once it needs people', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const working = enrollmentView({ step: 'certificates', status: 'working', prompt: null, card: newCard() })
    const { fake } = await openEnrollment(working, { info: KIOSK })
    await elapse(600_000)
    expect(countdown()).toBeNull()
    expect(fake.enrollment.releasePins).not.toHaveBeenCalled()
    expect(flow()).toHaveAttribute('data-status', 'working')

    const waiting: EnrollmentView = {
      ...working,
      step: 'retire',
      status: 'needs-operator',
      prompt: 'confirm-retire',
      updatedAt: '2026-03-12T09:05:00.000Z',
    }
    act(() => fake.emitEnrollmentChanged(waiting))
    await elapse(29_000)
    expect(countdown()).toBeNull()
    await elapse(2_000)
    await findCountdown()
  })

  it('a card inserted or removed counts as someone at the desk', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { fake } = await openEnrollment(enrollmentView(), {
      info: KIOSK,
      snapshot: { service: 'available', readers: [virtualReader('V1')] },
    })
    await elapse(25_000)
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V1', GIDS_ATR)] }))
    await elapse(25_000)
    expect(countdown()).toBeNull()
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V1')] }))
    await elapse(29_000)
    expect(countdown()).toBeNull()
    await elapse(2_000)
    await findCountdown()
  })

  it('at Home: no countdown; main releases its PINs once, then nothing until someone comes back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { fake } = startApp({ info: KIOSK })
    await screen.findByTestId('task-issue')
    await elapse(45_000)
    expect(countdown()).toBeNull()
    await elapse(16_000)
    await settleAll()
    expect(fake.enrollment.releasePins).toHaveBeenCalledTimes(1)
    await elapse(600_000)
    expect(fake.enrollment.releasePins).toHaveBeenCalledTimes(1)
    fireEvent.keyDown(document.body, { key: 'Tab' })
    await elapse(61_000)
    expect(fake.enrollment.releasePins).toHaveBeenCalledTimes(2)
  })

  it('is off outside kiosk mode', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { fake } = await openEnrollment(choosePin, { info: { kiosk: false, idleTimeoutSec: 60 } })
    await elapse(3_600_000)
    expect(countdown()).toBeNull()
    expect(flow()).toHaveAttribute('data-prompt', 'holder-chooses-pin')
    expect(fake.enrollment.releasePins).not.toHaveBeenCalled()
  })
})

describe('kiosk document guards', () => {
  const fire = (type: string) => {
    const event = new Event(type, { bubbles: true, cancelable: true })
    screen.getByTestId('task-issue').dispatchEvent(event)
    return event.defaultPrevented
  }

  it('refuse the context menu, drags and drops in kiosk mode', async () => {
    startApp({ info: KIOSK })
    await screen.findByTestId('task-issue')
    await waitFor(() => expect(fire('contextmenu')).toBe(true))
    expect(fire('dragstart')).toBe(true)
    expect(fire('dragenter')).toBe(true)
    expect(fire('dragover')).toBe(true)
    expect(fire('drop')).toBe(true)
    // Typing and clicking are not refused.
    expect(fire('click')).toBe(false)
    expect(fire('keydown')).toBe(false)
  })

  it('leave them alone outside kiosk mode', async () => {
    const { app } = startApp()
    await screen.findByTestId('task-issue')
    await waitFor(() => expect(app.store.getState().app.info).not.toBeNull())
    expect(fire('contextmenu')).toBe(false)
    expect(fire('drop')).toBe(false)
  })
})

describe('kiosk summary: the holder takes the new badge', () => {
  const done = enrollmentView({
    step: 'complete',
    status: 'done',
    outcome: 'completed',
    prompt: null,
    lastFinishedStep: 'complete',
    card: newCard('V1'),
    pinSource: 'server',
  })
  const withCard = { service: 'available' as const, readers: [virtualReader('V1', GIDS_ATR)] }
  const empty = { service: 'available' as const, readers: [virtualReader('V1')] }

  it('is "Next holder": the enrollment is dismissed and the station is back Home', async () => {
    const { fake } = await openEnrollment(done, { info: KIOSK, snapshot: withCard })
    await screen.findByTestId('summary')
    expect(fake.enrollment.dismiss).not.toHaveBeenCalled()
    act(() => fake.emitReaderChanged(empty))
    await screen.findByTestId('task-issue')
    expect(fake.enrollment.dismiss).toHaveBeenCalledTimes(1)
    expect(fake.enrollment.dismiss).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(screen.queryByTestId('summary')).toBeNull()
  })

  it('another reader changing does nothing; a badge already gone when the summary opened does nothing', async () => {
    const { fake } = await openEnrollment(done, {
      info: KIOSK,
      snapshot: { service: 'available', readers: [virtualReader('V0', GIDS_ATR), virtualReader('V1')] },
    })
    await screen.findByTestId('summary')
    act(() =>
      fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0'), virtualReader('V1')] }),
    )
    await settleAll()
    expect(fake.enrollment.dismiss).not.toHaveBeenCalled()
    expect(screen.getByTestId('summary')).toBeInTheDocument()
  })

  it('outside kiosk mode the summary waits for Next holder', async () => {
    const { fake } = await openEnrollment(done, { info: { kiosk: false }, snapshot: withCard })
    await screen.findByTestId('summary')
    act(() => fake.emitReaderChanged(empty))
    await settleAll()
    expect(fake.enrollment.dismiss).not.toHaveBeenCalled()
    expect(screen.getByTestId('summary')).toBeInTheDocument()
  })
})
