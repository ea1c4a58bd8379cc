// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { IDS, candidate, enrollmentView, newCard, templateView } from './fixtures'
import { flow, openEnrollment, stopApp } from './harness'

afterEach(stopApp)

const confirmRetire = enrollmentView({
  step: 'retire',
  status: 'needs-operator',
  prompt: 'confirm-retire',
  card: newCard(),
  lastFinishedStep: 'certificates',
})
const row = (uuid: string) =>
  screen.getAllByTestId('retire-candidate').find((el) => el.dataset.smartcardUuid === uuid)!

const SUSPENDED = '7a000000-0000-4000-8000-000000000003'

function threeCandidates() {
  return {
    ok: true as const,
    value: [
      candidate(),
      candidate({ smartcardUuid: SUSPENDED as never, cardId: null, status: { raw: 5, name: 'Suspended' } }),
      candidate({ smartcardUuid: IDS.smartcard2, cardId: null, canRetire: false }),
    ],
  }
}

describe('retire step', () => {
  it('lists the holder’s other cards: Active preselected, the others not, a card CM refuses without a checkbox', async () => {
    const user = userEvent.setup()
    const { fake } = await openEnrollment(confirmRetire, { templates: [templateView()] }, (f) =>
      f.enrollment.listRetireCandidates.mockResolvedValue(threeCandidates()),
    )
    const active = await screen.findByRole('checkbox', { name: new RegExp(IDS.oldCard) })
    expect(fake.enrollment.listRetireCandidates).toHaveBeenCalledWith({ requestId: IDS.request })
    expect(active).toBeChecked()
    expect(row(IDS.smartcard)).toHaveTextContent('Active')
    expect(row(IDS.smartcard)).toHaveTextContent('Badge vSC (server PIN)')
    expect(within(row(SUSPENDED)).getByRole('checkbox')).not.toBeChecked()
    expect(within(row(IDS.smartcard2)).queryByRole('checkbox')).toBeNull()
    expect(row(IDS.smartcard2)).toHaveTextContent('You may not retire this card in CM.')

    fake.enrollment.retireOldCards.mockResolvedValue({
      ok: true,
      value: { ...confirmRetire, status: 'working', prompt: null, updatedAt: '2026-03-12T09:10:00.000Z' },
    })
    await user.click(within(row(SUSPENDED)).getByRole('checkbox'))
    await user.type(screen.getByRole('textbox', { name: /Comment/ }), 'replaced')
    const confirm = screen.getByTestId('retire-confirm')
    expect(confirm).toHaveTextContent('Retire selected (2) and complete')
    await user.click(confirm)
    expect(fake.enrollment.retireOldCards).toHaveBeenCalledWith({
      requestId: IDS.request,
      smartcardUuids: [IDS.smartcard, SUSPENDED],
      comment: 'replaced',
    })
    await expect.poll(() => flow().dataset.status).toBe('working')
  })

  it('an empty selection completes without retiring', async () => {
    const user = userEvent.setup()
    const { fake } = await openEnrollment(confirmRetire, {}, (f) =>
      f.enrollment.listRetireCandidates.mockResolvedValue(threeCandidates()),
    )
    await user.click(await screen.findByRole('checkbox', { name: new RegExp(IDS.oldCard) }))
    const confirm = screen.getByTestId('retire-confirm')
    expect(confirm).toHaveTextContent('Complete without retiring')
    await user.click(confirm)
    expect(fake.enrollment.retireOldCards).toHaveBeenCalledWith({
      requestId: IDS.request,
      smartcardUuids: [],
      comment: '',
    })
  })

  it('says so when the holder has no other cards', async () => {
    await openEnrollment(confirmRetire)
    expect(await screen.findByTestId('retire-none')).toBeInTheDocument()
    expect(screen.getByTestId('retire-confirm')).toHaveTextContent('Complete without retiring')
  })

  it('shows the progress over the retire items with each outcome and correlation id', async () => {
    const retiring: EnrollmentView = {
      ...confirmRetire,
      status: 'working',
      prompt: null,
      retire: [
        {
          smartcardUuid: IDS.smartcard,
          cardId: IDS.oldCard,
          state: 'retired',
          requestId: IDS.request2,
          writeId: null,
          error: null,
        },
        {
          smartcardUuid: SUSPENDED as never,
          cardId: null,
          state: 'failed',
          requestId: null,
          writeId: IDS.write,
          error: { code: 'server-error', correlationId: 'corr-77' },
        },
        {
          smartcardUuid: IDS.smartcard2,
          cardId: null,
          state: 'pending',
          requestId: null,
          writeId: null,
          error: null,
        },
      ],
    }
    await openEnrollment(retiring)
    const progress = await screen.findByTestId('retire-progress')
    expect(progress).toHaveTextContent('Cards handled: 2 of 3')
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(2 / 3))
    const items = within(progress).getAllByTestId('retire-item')
    expect(items.map((i) => i.dataset.state)).toEqual(['retired', 'failed', 'pending'])
    expect(items[0]).toHaveTextContent('Retired')
    expect(items[0]).toHaveTextContent(IDS.request2)
    expect(within(items[1]!).getByTestId('correlation-id')).toHaveTextContent('corr-77')
    expect(progress).toHaveTextContent('stay under “Pending CM writes” on Home')
    expect(screen.getByTestId('enrollment-working')).toHaveTextContent('Retiring the old badges…')
  })
})
