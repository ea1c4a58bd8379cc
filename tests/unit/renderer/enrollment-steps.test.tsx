// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { EnrollmentStep } from '../../../shared/domain/enrollment'
import { GIDS_ATR, IDS, cardRecord, enrollmentView, newCard, person, templateView } from './fixtures'
import { virtualReader, type FakeStation } from './fake-station'
import { findDialog, flow, openEnrollment, stopApp } from './harness'

afterEach(stopApp)

const step = (name: string) => screen.getAllByTestId('stepper-step').find((el) => el.dataset.step === name)!

describe('stepper and what the station is doing', () => {
  it.each([
    ['bind', 'Binding the card to the request…'],
    ['admin-key', 'Setting the administrator key…'],
    ['certificates', 'Generating keys on the card and requesting certificates…'],
    ['complete', 'Completing the request…'],
  ] as Array<[EnrollmentStep, string]>)('step %s working: a spinner with “%s”', async (name, sentence) => {
    await openEnrollment(enrollmentView({ step: name, status: 'working', prompt: null, card: newCard() }))
    expect(await screen.findByTestId('enrollment-working')).toHaveTextContent(sentence)
    expect(flow()).toHaveAttribute('data-status', 'working')
    expect(step(name)).toHaveAttribute('aria-current', 'step')
    expect(step('request')).toHaveAttribute('data-state', 'done')
    expect(step('card')).toHaveAttribute('data-state', 'done')
    expect(step('complete')).toHaveAttribute('data-state', name === 'complete' ? 'current' : 'upcoming')
    // Approval did not apply to this template: not shown.
    expect(screen.getAllByTestId('stepper-step').map((el) => el.dataset.step)).not.toContain('approval')
  })

  it('announces each change of step or status in a polite status region that stays mounted', async () => {
    const { fake } = await openEnrollment(
      enrollmentView({ step: 'bind', status: 'working', prompt: null, card: newCard() }),
    )
    const region = await screen.findByTestId('enrollment-announcer')
    expect(region).toHaveAttribute('role', 'status')
    expect(region).toHaveTextContent('Bind: Binding the card to the request…')
    act(() =>
      fake.emitEnrollmentChanged(
        enrollmentView({
          step: 'bind',
          status: 'waiting-retry',
          prompt: null,
          card: newCard(),
          error: { code: 'network', correlationId: 'corr-7' },
          updatedAt: '2026-03-12T09:05:00.000Z',
        }),
      ),
    )
    expect(screen.getByTestId('enrollment-announcer')).toBe(region)
    expect(region).toHaveTextContent(/^Bind: .+\. .*corr-7/)
  })

  it('shows the holder by name, the template and the request id above the steps', async () => {
    await openEnrollment(enrollmentView(), {
      info: { directory: true },
      people: [person(IDS.holder, 'Alice Martins', 'CORP\\amartins')],
      templates: [templateView()],
    })
    expect(await screen.findByTestId('enrollment-holder')).toHaveTextContent('Alice Martins')
    expect(flow()).toHaveTextContent('Badge vSC (server PIN)')
    expect(flow()).toHaveTextContent(IDS.request)
  })
})

describe('failures', () => {
  it('a failed step: sentence, correlation id, what to do next, Retry', async () => {
    const user = userEvent.setup()
    const failed = enrollmentView({
      step: 'admin-key',
      status: 'failed',
      prompt: 'resolve-failure',
      card: newCard(),
      error: { code: 'card-removed', correlationId: 'corr-9' },
      resumable: true,
    })
    const { fake } = await openEnrollment(failed)
    fake.enrollment.retry.mockResolvedValue({
      ok: true,
      value: {
        ...failed,
        status: 'working',
        prompt: null,
        error: null,
        updatedAt: '2026-03-12T09:01:00.000Z',
      },
    })
    const error = await screen.findByTestId('enrollment-error')
    expect(error).toHaveAttribute('data-code', 'card-removed')
    expect(error).toHaveTextContent('The card was removed.')
    expect(error).toHaveTextContent('Insert the same card again to continue.')
    expect(within(error).getByTestId('correlation-id')).toHaveTextContent('corr-9')
    expect(screen.getByText('The step “Administrator key” failed')).toBeInTheDocument()
    await user.click(screen.getByTestId('retry-step'))
    expect(fake.enrollment.retry).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(await screen.findByTestId('enrollment-working')).toHaveTextContent(
      'Setting the administrator key…',
    )
  })

  it('a failure that cannot be retried leaves only Cancel, and says so', async () => {
    await openEnrollment(
      enrollmentView({
        step: 'bind',
        status: 'failed',
        prompt: 'resolve-failure',
        error: { code: 'internal' },
        resumable: false,
      }),
    )
    expect(await screen.findByTestId('enrollment-error')).toHaveTextContent(
      'This step cannot be retried: cancel the enrollment.',
    )
    expect(screen.queryByTestId('retry-step')).toBeNull()
    expect(screen.getByTestId('cancel-enrollment')).toBeInTheDocument()
  })

  it('waiting-retry: the station retries by itself; Retry now is offered', async () => {
    await openEnrollment(
      enrollmentView({
        step: 'complete',
        status: 'waiting-retry',
        prompt: null,
        error: { code: 'network' },
        card: newCard(),
      }),
    )
    expect(await screen.findByTestId('enrollment-waiting')).toHaveTextContent(
      'The station retries automatically',
    )
    expect(screen.getByTestId('enrollment-error')).toHaveAttribute('data-code', 'network')
    expect(screen.getByTestId('retry-step')).toHaveTextContent('Retry now')
  })

  it('Escape in the Cancel dialog keeps going and gives the focus back to Cancel', async () => {
    const user = userEvent.setup()
    const { fake } = await openEnrollment(
      enrollmentView({ step: 'pin', status: 'needs-operator', prompt: 'start-pin', card: newCard() }),
    )
    const cancel = await screen.findByTestId('cancel-enrollment')
    await user.click(cancel)
    await findDialog()
    // Where the focus lands in the dialog is Fluent's focus trap at work: checked in Chromium (enroll-training e2e).
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(screen.getByTestId('cancel-enrollment')).toHaveFocus())
    expect(fake.enrollment.cancel).not.toHaveBeenCalled()
  })

  it('Cancel after a card is bound says Abandoned, and the outcome is shown', async () => {
    const user = userEvent.setup()
    const view = enrollmentView({
      step: 'pin',
      status: 'needs-holder',
      prompt: 'holder-chooses-pin',
      card: newCard(),
    })
    const { fake } = await openEnrollment(view)
    fake.enrollment.cancel.mockResolvedValue({
      ok: true,
      value: {
        ...view,
        status: 'done',
        outcome: 'abandoned',
        prompt: null,
        updatedAt: '2026-03-12T09:05:00.000Z',
      },
    })
    await user.click(await screen.findByTestId('cancel-enrollment'))
    expect(await findDialog()).toHaveTextContent('becomes Abandoned in Certificate Management')
    await user.click(screen.getByTestId('cancel-confirm'))
    expect(await screen.findByTestId('enrollment-ended')).toHaveAttribute('data-outcome', 'abandoned')
    expect(flow()).toHaveAttribute('data-status', 'done')
    expect(screen.queryByTestId('cancel-enrollment')).toBeNull()
  })
})

/** V0: the holder's current badge; V1: a new, unregistered GIDS card. */
function twoCards(fake: FakeStation): void {
  fake.card.identify.mockImplementation(async ({ reader }) => ({
    ok: true,
    value: { atr: GIDS_ATR, cardId: reader === 'V0' ? IDS.oldCard : IDS.newCard, isGids: true },
  }))
  fake.cm.findCard.mockImplementation(async ({ cardId }) => ({
    ok: true,
    value: cardId === IDS.oldCard ? cardRecord({}) : null,
  }))
}
const readers = {
  service: 'available' as const,
  readers: [virtualReader('V0', GIDS_ATR), virtualReader('V1', GIDS_ATR)],
}
const candidateRow = (reader: string) =>
  screen.getAllByTestId('card-candidate').find((el) => el.dataset.readerName === reader)!

describe('card step', () => {
  it('offers only cards that can be the new badge; Use the card → enrollment:use-card', async () => {
    const user = userEvent.setup()
    const { fake } = await openEnrollment(enrollmentView(), { snapshot: readers }, twoCards)
    expect(await screen.findByText('Insert the new badge')).toBeInTheDocument()
    const use = await screen.findByTestId('use-card')
    expect(use).toHaveAttribute('data-reader-name', 'V1')
    expect(use).toHaveTextContent('Use the card in V1')
    expect(candidateRow('V0')).toHaveTextContent("This is the holder's current badge, not a new one.")
    expect(within(candidateRow('V0')).queryByTestId('use-card')).toBeNull()

    fake.enrollment.useCard.mockResolvedValue({
      ok: false,
      error: { code: 'card-registered-elsewhere', correlationId: 'corr-11' },
    })
    await user.click(use)
    expect(fake.enrollment.useCard).toHaveBeenCalledWith({ requestId: IDS.request, reader: 'V1' })
    const error = await screen.findByTestId('enrollment-error')
    expect(error).toHaveAttribute('data-code', 'card-registered-elsewhere')
    expect(error).toHaveTextContent('This card is already in use in Certificate Management.')
  })

  it('when resuming, asks for the same card and refuses another one', async () => {
    await openEnrollment(
      enrollmentView({ card: { ...newCard('V1'), cardId: 'c0ffee00-0000-4000-8000-0000000000aa' } as never }),
      { snapshot: readers },
      twoCards,
    )
    expect(
      await screen.findByText('Insert the same card (c0ffee00-0000-4000-8000-0000000000aa) again'),
    ).toBeInTheDocument()
    await expect
      .poll(() => candidateRow('V1').textContent)
      .toContain('This is not the card the operation was started with.')
    expect(screen.queryByTestId('use-card')).toBeNull()
  })

  it('says so when no card is in the readers', async () => {
    await openEnrollment(enrollmentView(), {
      snapshot: { service: 'available', readers: [virtualReader('V0')] },
    })
    expect(await screen.findByTestId('card-step-empty')).toHaveTextContent(
      'Insert the new badge into a reader.',
    )
  })
})

describe('approval step', () => {
  it('waits for approval, shows the request id, and checks again by request id', async () => {
    const user = userEvent.setup()
    const view = enrollmentView({ step: 'approval', status: 'needs-operator', prompt: 'await-approval' })
    const { fake } = await openEnrollment(view)
    fake.enrollment.start.mockResolvedValue({
      ok: true,
      value: {
        ...view,
        step: 'card',
        prompt: 'insert-card',
        lastFinishedStep: 'approval',
        updatedAt: '2026-03-12T10:00:00.000Z',
      },
    })
    expect(await screen.findByText('Waiting for approval in Certificate Management')).toBeInTheDocument()
    expect(screen.getByTestId('approval-request-id')).toHaveTextContent(IDS.request)
    expect(step('approval')).toHaveAttribute('aria-current', 'step')
    await user.click(screen.getByTestId('check-approval'))
    expect(fake.enrollment.start).toHaveBeenCalledWith({ kind: 'request', requestId: IDS.request })
    await expect.poll(() => flow().dataset.step).toBe('card')
    // Approval happened: it stays in the stepper, done.
    expect(step('approval')).toHaveAttribute('data-state', 'done')
  })
})

describe('certificates, summary and Next holder', () => {
  const cert = {
    container: 0,
    templateName: 'SmartcardLogon',
    subject: 'CN=Alice Martins',
    issuer: 'CN=Contoso Issuing CA',
    notBefore: '2026-03-12T00:00:00Z',
    notAfter: '2027-03-12T00:00:00Z',
    thumbprint: 'AB12',
  }

  it('lists installed certificates and the ones that could not be installed', async () => {
    await openEnrollment(
      enrollmentView({
        step: 'certificates',
        status: 'working',
        prompt: null,
        card: newCard(),
        certificates: [cert],
        certificateIssues: [{ templateName: 'Encryption', code: 'key-import-unsupported' }],
      }),
    )
    const certificate = await screen.findByTestId('certificate')
    expect(certificate).toHaveTextContent('CN=Alice Martins')
    expect(certificate).toHaveTextContent('CN=Contoso Issuing CA')
    expect(certificate).toHaveTextContent('SmartcardLogon')
    expect(certificate).toHaveTextContent(/from .*2026 to .*2027/)
    expect(screen.getByTestId('certificate-issue')).toHaveTextContent(
      'Encryption was not installed: Certificate Management sent a key generated on the server',
    )
  })

  it('summarises a completed enrollment; Next holder dismisses it and returns Home', async () => {
    const user = userEvent.setup()
    const done = enrollmentView({
      step: 'complete',
      status: 'done',
      outcome: 'completed',
      prompt: null,
      lastFinishedStep: 'complete',
      card: newCard(),
      pinSource: 'server',
      certificates: [cert],
      retire: [
        {
          smartcardUuid: IDS.smartcard,
          cardId: IDS.oldCard,
          state: 'retired',
          requestId: IDS.request2,
          writeId: null,
          error: null,
        },
      ],
    })
    const { fake, app } = await openEnrollment(
      done,
      {
        templates: [templateView()],
        snapshot: { service: 'available', readers: [virtualReader('V1', GIDS_ATR)] },
      },
      twoCards,
    )
    const summary = await screen.findByTestId('summary')
    // The new card's CM record changed while it stayed in the reader: it is looked up again.
    await expect.poll(() => fake.cm.findCard.mock.calls.length).toBeGreaterThan(1)
    expect(within(summary).getByTestId('summary-holder')).toHaveTextContent(IDS.holder)
    expect(within(summary).getByTestId('summary-card-id')).toHaveTextContent(IDS.newCard)
    expect(within(summary).getByTestId('summary-template')).toHaveTextContent('Badge vSC (server PIN)')
    expect(within(summary).getByTestId('summary-pin-mode')).toHaveTextContent(
      'Proposed by Certificate Management',
    )
    expect(within(summary).getByTestId('summary-request-id')).toHaveTextContent(IDS.request)
    expect(within(summary).getByTestId('certificate')).toHaveTextContent('CN=Alice Martins')
    expect(within(summary).getByTestId('retire-item')).toHaveAttribute('data-state', 'retired')
    expect(screen.getAllByTestId('stepper-step').every((el) => el.dataset.state === 'done')).toBe(true)

    await user.click(screen.getByTestId('next-holder'))
    expect(fake.enrollment.dismiss).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(await screen.findByTestId('task-issue')).toBeInTheDocument()
    expect(app.store.getState().enrollments.list).toEqual([])
  })
})
