// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { IDS, enrollmentView, person, templateView, writeView } from './fixtures'
import { findDialog, flow, startApp, stopApp } from './harness'

afterEach(stopApp)

const item = (requestId: string) =>
  screen.getAllByTestId('in-progress-item').find((el) => el.dataset.requestId === requestId)!

describe('home: enrollments in progress', () => {
  it('lists enrollments with holder GUID (no directory), template name, last step and status; Resume opens the flow', async () => {
    const user = userEvent.setup()
    startApp({
      templates: [templateView()],
      enrollments: [
        enrollmentView({
          lastFinishedStep: 'admin-key',
          step: 'pin',
          status: 'needs-holder',
          prompt: 'holder-chooses-pin',
        }),
      ],
    })
    const row = await screen.findByTestId('in-progress-item')
    expect(row).toHaveAttribute('data-request-id', IDS.request)
    expect(row).toHaveTextContent(IDS.holder)
    expect(row).toHaveTextContent('Badge vSC (server PIN)')
    expect(row).toHaveTextContent('Last finished step: Administrator key')
    expect(within(row).getByTestId('in-progress-status')).toHaveTextContent('Waiting for the holder')

    await user.click(within(row).getByTestId('resume-enrollment'))
    expect(flow()).toHaveAttribute('data-request-id', IDS.request)
    expect(flow()).toHaveAttribute('data-step', 'pin')
    expect(flow()).toHaveAttribute('data-prompt', 'holder-chooses-pin')
    // The flow waits for the holder's new PIN: its first field takes the focus (the holder types next).
    expect(screen.getByTestId('holder-pin')).toHaveFocus()
  })

  it('Resume at an operator step: the page heading takes the focus (keyboard users start at the top)', async () => {
    const user = userEvent.setup()
    startApp({
      templates: [templateView()],
      enrollments: [
        enrollmentView({ lastFinishedStep: 'certificates', step: 'retire', prompt: 'confirm-retire' }),
      ],
    })
    await user.click(within(await screen.findByTestId('in-progress-item')).getByTestId('resume-enrollment'))
    expect(flow()).toHaveAttribute('data-step', 'retire')
    expect(screen.getByRole('heading', { level: 2, name: 'Issue a badge' })).toHaveFocus()
  })

  it('shows holder names from the directory when there is one', async () => {
    startApp({
      info: { directory: true },
      people: [person(IDS.holder, 'Alice Martins', 'CORP\\amartins')],
      enrollments: [enrollmentView()],
    })
    expect(await screen.findByText('Alice Martins')).toBeInTheDocument()
  })

  it('follows enrollment:changed: new ones appear newest first, updates replace, finished show the outcome and Dismiss', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({ enrollments: [enrollmentView()] })
    await screen.findByTestId('in-progress-item')

    act(() =>
      fake.emitEnrollmentChanged(
        enrollmentView({
          requestId: IDS.request2,
          createdAt: '2026-03-12T10:00:00.000Z',
          updatedAt: '2026-03-12T10:00:00.000Z',
        }),
      ),
    )
    expect(screen.getAllByTestId('in-progress-item').map((el) => el.dataset.requestId)).toEqual([
      IDS.request2,
      IDS.request,
    ])

    // An older state of the same enrollment never replaces a newer one.
    act(() =>
      fake.emitEnrollmentChanged(
        enrollmentView({
          status: 'done',
          outcome: 'completed',
          step: 'complete',
          updatedAt: '2026-03-12T09:30:00.000Z',
        }),
      ),
    )
    act(() =>
      fake.emitEnrollmentChanged(
        enrollmentView({ status: 'working', updatedAt: '2026-03-12T09:10:00.000Z' }),
      ),
    )
    const done = item(IDS.request)
    expect(within(done).getByTestId('in-progress-status')).toHaveTextContent('Completed')
    expect(within(done).queryByTestId('resume-enrollment')).toBeNull()
    expect(within(done).getByTestId('open-enrollment')).toHaveTextContent('Show the outcome')

    await user.click(within(done).getByTestId('dismiss-enrollment'))
    expect(fake.enrollment.dismiss).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(screen.getAllByTestId('in-progress-item')).toHaveLength(1)
    // Dismissed in another window: enrollment:removed drops it here too.
    act(() => fake.emitEnrollmentRemoved(IDS.request2))
    expect(screen.queryAllByTestId('in-progress-item')).toHaveLength(0)
  })

  it('cancels from the list after a confirmation that says Canceled (no card bound yet)', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({ enrollments: [enrollmentView()] })
    fake.enrollment.cancel.mockResolvedValue({
      ok: true,
      value: enrollmentView({ status: 'done', outcome: 'canceled', updatedAt: '2026-03-12T09:20:00.000Z' }),
    })
    await user.click(await screen.findByTestId('cancel-enrollment'))
    const dialog = await findDialog()
    expect(dialog).toHaveTextContent('becomes Canceled in Certificate Management')
    await user.click(within(dialog).getByTestId('cancel-confirm'))
    expect(fake.enrollment.cancel).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(await screen.findByText('Canceled in CM')).toBeInTheDocument()
  })

  it('shows an empty state', async () => {
    startApp()
    expect(await screen.findByTestId('in-progress-empty')).toHaveTextContent('No enrollments in progress.')
    expect(await screen.findByTestId('writes-empty')).toHaveTextContent(
      'Nothing is waiting to be written to CM.',
    )
  })

  it('shows a failed load as a sentence, and Try again loads again', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({}, (f) =>
      f.enrollment.list.mockResolvedValue({ ok: false, error: { code: 'network' } }),
    )
    expect(await screen.findByTestId('in-progress-error')).toHaveTextContent(
      'Could not load the enrollments: The CM server cannot be reached.',
    )
    fake.enrollment.list.mockResolvedValue({ ok: true, value: [enrollmentView()] })
    await user.click(
      within(screen.getByTestId('in-progress-error')).getByRole('button', { name: 'Try again' }),
    )
    expect(await screen.findByTestId('in-progress-item')).toBeInTheDocument()
    expect(screen.queryByTestId('in-progress-error')).toBeNull()
  })
})

const write = (id: string) => screen.getAllByTestId('pending-write').find((el) => el.dataset.writeId === id)!

describe('home: pending CM writes', () => {
  it('shows kind, card, request, state, attempts, next retry and the last error with its correlation id', async () => {
    startApp({
      writes: [
        writeView(),
        writeView({
          id: '9e000000-0000-4000-8000-000000000002',
          kind: 'complete' as never,
          state: 'pending',
          lastError: { code: 'timeout' },
          nextRetryAt: '2026-03-12T09:06:00.000Z',
        }),
        writeView({
          id: '9e000000-0000-4000-8000-000000000003',
          kind: 'frobnicate' as never,
          state: 'awaiting-approval',
          lastError: null,
        }),
      ],
    })
    const failed = await screen.findByText('Retire a card')
    const row = failed.closest('[data-testid="pending-write"]') as HTMLElement
    expect(row).toHaveAttribute('data-kind', 'retire')
    expect(row).toHaveAttribute('data-state', 'failed')
    expect(row).toHaveTextContent(IDS.smartcard)
    expect(row).toHaveTextContent(IDS.request2)
    expect(row).toHaveTextContent('Attempts3')
    expect(within(row).getByTestId('write-next-retry')).toHaveTextContent('None scheduled')
    const error = within(row).getByTestId('write-error')
    expect(error).toHaveAttribute('data-code', 'server-error')
    expect(error).toHaveTextContent('The CM server reported an error.')
    expect(within(error).getByTestId('correlation-id')).toHaveTextContent('corr-42')
    expect(within(row).getByTestId('retry-write')).toHaveTextContent('Retry')
    expect(within(row).getByTestId('dismiss-write')).toBeInTheDocument()

    const pending = write('9e000000-0000-4000-8000-000000000002')
    expect(pending).toHaveTextContent('Complete a request')
    expect(within(pending).getByTestId('write-next-retry')).not.toHaveTextContent('None scheduled')
    expect(within(pending).getByTestId('retry-write')).toHaveTextContent('Retry now')
    // Dismiss only for failed / awaiting-approval (a pending write may still finish).
    expect(within(pending).queryByTestId('dismiss-write')).toBeNull()
    expect(within(pending).queryByTestId('correlation-id')).toBeNull()

    // A kind this renderer does not know is shown generically.
    expect(write('9e000000-0000-4000-8000-000000000003')).toHaveTextContent('CM write (frobnicate)')
  })

  it('retries a write; a failure again is shown on its row; the list follows cm:writes-changed', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({ writes: [writeView()] })
    fake.cm.retryWrite.mockResolvedValue({
      ok: false,
      error: { code: 'forbidden', correlationId: 'corr-43' },
    })
    await user.click(await screen.findByTestId('retry-write'))
    expect(fake.cm.retryWrite).toHaveBeenCalledWith({ id: IDS.write })
    expect(await screen.findByTestId('write-action-error')).toHaveTextContent(
      'You do not have permission for this action in Certificate Management. Reference: corr-43',
    )
    act(() => fake.emitWritesChanged([]))
    expect(screen.queryByTestId('pending-write')).toBeNull()
    expect(screen.getByTestId('writes-empty')).toBeInTheDocument()
  })

  it('dismisses a failed write and shows the list main answers', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({ writes: [writeView()] })
    fake.cm.dismissWrite.mockResolvedValue({ ok: true, value: [] })
    await user.click(await screen.findByRole('button', { name: 'Dismiss: Retire a card' }))
    expect(fake.cm.dismissWrite).toHaveBeenCalledWith({ id: IDS.write })
    await expect.poll(() => screen.queryByTestId('pending-write')).toBeNull()
  })
})
