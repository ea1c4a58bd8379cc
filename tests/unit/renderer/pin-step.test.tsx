// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectivePinRules } from '../../../shared/domain/pin-rules'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import type { PinDisplayPolicy } from '../../../shared/ipc/app'
import { GIDS_ATR, IDS, enrollmentView, newCard } from './fixtures'
import type { FakeStation } from './fake-station'
import { flow, goTo, openEnrollment, stopApp } from './harness'

afterEach(() => {
  stopApp()
  vi.useRealTimers()
})

const PIN = '48151623'
const startPin = enrollmentView({
  step: 'pin',
  status: 'needs-operator',
  prompt: 'start-pin',
  card: newCard(),
})
const notePin: EnrollmentView = {
  ...startPin,
  status: 'needs-holder',
  prompt: 'note-pin',
  pinSource: 'server',
  updatedAt: '2026-03-12T09:01:00.000Z',
}
const afterPin: EnrollmentView = {
  ...notePin,
  step: 'certificates',
  status: 'working',
  prompt: null,
  lastFinishedStep: 'pin',
  updatedAt: '2026-03-12T09:02:00.000Z',
}

function serverPin(fake: FakeStation): void {
  fake.enrollment.setPin.mockResolvedValue({ ok: true, value: { kind: 'server', pin: PIN, view: notePin } })
  fake.enrollment.acknowledgePin.mockResolvedValue({ ok: true, value: afterPin })
}

async function openWithPolicy(pinDisplay: PinDisplayPolicy, strict = false) {
  const started = await openEnrollment(startPin, { info: { pinDisplay } }, serverPin, strict)
  await screen.findByTestId('server-pin')
  return started
}

const pinText = () => screen.getByTestId('server-pin')

describe('server PIN display policies', () => {
  it('show: asks set-pin once by itself (StrictMode too), shows the PIN until noted, never stores it', async () => {
    const user = userEvent.setup()
    const { fake, app } = await openWithPolicy('show', true)
    expect(fake.enrollment.setPin).toHaveBeenCalledTimes(1)
    expect(fake.enrollment.setPin).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(pinText()).toHaveTextContent(PIN)
    expect(pinText()).toHaveAttribute('data-masked', 'false')
    expect(flow()).toHaveAttribute('data-prompt', 'note-pin')
    // The PIN is component state only: nowhere in the store.
    expect(JSON.stringify(app.store.getState())).not.toContain(PIN)

    await user.click(screen.getByTestId('pin-noted'))
    expect(fake.enrollment.acknowledgePin).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(screen.queryByTestId('server-pin')).toBeNull()
    expect(document.body.textContent).not.toContain(PIN)
    expect(flow()).toHaveAttribute('data-step', 'certificates')
    expect(fake.enrollment.setPin).toHaveBeenCalledTimes(1)
  })

  it('reveal: masked; the toggle shows it; hidden again after 10 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) })
    await openWithPolicy('reveal')
    expect(pinText()).toHaveAttribute('data-masked', 'true')
    expect(pinText()).not.toHaveTextContent(PIN)
    const reveal = screen.getByTestId('reveal-pin')
    expect(reveal).toHaveAttribute('aria-pressed', 'false')

    await user.click(reveal)
    expect(pinText()).toHaveAttribute('data-masked', 'false')
    expect(pinText()).toHaveTextContent(PIN)
    expect(reveal).toHaveAttribute('aria-pressed', 'true')

    act(() => vi.advanceTimersByTime(9_000))
    expect(pinText()).toHaveTextContent(PIN)
    act(() => vi.advanceTimersByTime(1_000))
    expect(pinText()).toHaveAttribute('data-masked', 'true')
    expect(document.body.textContent).not.toContain(PIN)

    // The toggle hides it at once too.
    await user.click(reveal)
    await user.click(reveal)
    expect(pinText()).toHaveAttribute('data-masked', 'true')
  })

  it('never: holder-facing; the operator continues only after the holder noted it', async () => {
    const user = userEvent.setup()
    const { fake } = await openWithPolicy('never')
    const panel = screen.getByTestId('holder-pin-panel')
    expect(panel).toHaveTextContent('Turn the screen to the holder.')
    expect(pinText()).toHaveAttribute('data-masked', 'true')
    const noted = screen.getByTestId('pin-noted')
    expect(noted).toHaveAttribute('aria-disabled', 'true')
    await user.click(noted)
    expect(fake.enrollment.acknowledgePin).not.toHaveBeenCalled()

    await user.click(within(panel).getByRole('button', { name: 'Show my PIN' }))
    expect(pinText()).toHaveTextContent(PIN)
    await user.click(screen.getByTestId('holder-noted-pin'))
    expect(pinText()).toHaveAttribute('data-masked', 'true')
    expect(panel).toHaveTextContent('Turn the screen back to the operator.')
    expect(document.body.textContent).not.toContain(PIN)

    await user.click(noted)
    expect(fake.enrollment.acknowledgePin).toHaveBeenCalledTimes(1)
  })

  it('leaving the step drops the PIN: back on the page it cannot be shown again', async () => {
    const user = userEvent.setup()
    const { app } = await openWithPolicy('show')
    await user.click(screen.getByTestId('back-home'))
    expect(document.body.textContent).not.toContain(PIN)
    goTo(app, { name: 'issue', requestId: startPin.requestId })
    expect(await screen.findByTestId('pin-gone')).toBeInTheDocument()
    expect(screen.queryByTestId('server-pin')).toBeNull()
    expect(screen.getByTestId('pin-noted')).toBeInTheDocument()
  })
})

describe('the holder chooses the PIN', () => {
  const choose: EnrollmentView = {
    ...startPin,
    status: 'needs-holder',
    prompt: 'holder-chooses-pin',
    pinSource: 'holder',
    pinRules: effectivePinRules({
      policy: { minLength: 0, maxLength: 8 },
      cardKind: 'tpm-vsc',
      stationMinLength: 0,
    }),
  }
  const rule = (name: string) => screen.getAllByTestId('pin-rule').find((el) => el.dataset.rule === name)!

  it('checks the rules live in the holder’s words, refuses a mismatch, submits once and clears the fields', async () => {
    const user = userEvent.setup()
    const { fake, app } = await openEnrollment(choose)
    fake.enrollment.setPin.mockResolvedValue({
      ok: true,
      value: { kind: 'holder-set', view: { ...afterPin, pinSource: 'holder' } },
    })
    const first = await screen.findByTestId('holder-pin')
    // The holder can type at once: the first field has the focus.
    expect(first).toHaveFocus()
    const second = screen.getByTestId('holder-pin-confirm')
    const submit = screen.getByTestId('holder-pin-submit')
    expect(rule('min')).toHaveTextContent('At least 8 characters (a virtual smart card needs 8)')
    expect(rule('max')).toHaveTextContent("At most 8 characters (your organisation's rule)")
    expect(rule('printable')).toHaveTextContent('Only letters, digits and common symbols')

    await user.type(first, '1234')
    expect(rule('min')).toHaveAttribute('data-met', 'false')
    expect(rule('min')).toHaveTextContent('(not met yet)')
    await user.type(first, '56789')
    expect(rule('min')).toHaveAttribute('data-met', 'true')
    expect(rule('max')).toHaveAttribute('data-met', 'false')
    await user.clear(first)
    await user.type(first, 'pässwor1')
    expect(rule('printable')).toHaveAttribute('data-met', 'false')
    await user.clear(first)
    await user.type(first, '24681357')
    expect(rule('printable')).toHaveAttribute('data-met', 'true')

    await user.type(second, '24681358')
    expect(rule('match')).toHaveTextContent('The two entries differ')
    expect(submit).toHaveAttribute('aria-disabled', 'true')
    await user.click(submit)
    expect(fake.enrollment.setPin).not.toHaveBeenCalled()

    await user.clear(second)
    await user.type(second, '24681357{Enter}')
    expect(fake.enrollment.setPin).toHaveBeenCalledTimes(1)
    expect(fake.enrollment.setPin).toHaveBeenCalledWith({ requestId: IDS.request, pin: '24681357' })
    expect(JSON.stringify(app.store.getState())).not.toContain('24681357')
    await expect.poll(() => flow().dataset.step).toBe('certificates')
  })

  it('empties both fields when main refuses the PIN, and says why', async () => {
    const user = userEvent.setup()
    const { fake } = await openEnrollment(choose)
    fake.enrollment.setPin.mockResolvedValue({ ok: false, error: { code: 'pin-rule' } })
    await user.type(await screen.findByTestId('holder-pin'), '13572468')
    await user.type(screen.getByTestId('holder-pin-confirm'), '13572468')
    await user.click(screen.getByTestId('holder-pin-submit'))
    expect(await screen.findByTestId('enrollment-error')).toHaveAttribute('data-code', 'pin-rule')
    expect(screen.getByTestId('holder-pin')).toHaveValue('')
    expect(screen.getByTestId('holder-pin-confirm')).toHaveValue('')
  })
})

describe('the holder types the card PIN after a restart', () => {
  // The certificate step is where a restart leaves it (the PIN was set before); the PIN step shows the same form.
  it.each(['certificates', 'pin'] as const)(
    'at step %s: sends it with provide-pin; a wrong PIN says how many tries are left',
    async (step) => {
      const user = userEvent.setup()
      const view: EnrollmentView = enrollmentView({
        step,
        status: 'needs-holder',
        prompt: 'holder-enters-pin',
        card: { ...newCard(), atr: GIDS_ATR } as never,
      })
      const { fake } = await openEnrollment(view)
      fake.enrollment.providePin.mockResolvedValue({ ok: false, error: { code: 'wrong-pin', triesLeft: 2 } })
      await user.type(await screen.findByTestId('provide-pin'), '11112222{Enter}')
      expect(fake.enrollment.providePin).toHaveBeenCalledWith({ requestId: IDS.request, pin: '11112222' })
      expect(await screen.findByTestId('enrollment-error')).toHaveTextContent('Wrong PIN. Tries left: 2')
      expect(screen.getByTestId('provide-pin')).toHaveValue('')
    },
  )
})
