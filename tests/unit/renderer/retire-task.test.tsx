// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { CmSmartcard } from '../../../shared/domain/cm'
import { GIDS_ATR, IDS, cardRecord, person, writeView } from './fixtures'
import { virtualReader, type FakeStation } from './fake-station'
import { findDialog, startApp, stopApp } from './harness'

afterEach(stopApp)

function badgeInV0(fake: FakeStation): void {
  fake.card.identify.mockResolvedValue({
    ok: true,
    value: { atr: GIDS_ATR, cardId: IDS.oldCard, isGids: true },
  })
  fake.cm.findCard.mockResolvedValue({ ok: true, value: cardRecord({}) })
}
const options = { snapshot: { service: 'available' as const, readers: [virtualReader('V0', GIDS_ATR)] } }

async function openRetire(setup: (fake: FakeStation) => void = badgeInV0, extra = {}) {
  const user = userEvent.setup()
  const started = startApp({ ...options, ...extra }, setup)
  await user.click(await screen.findByTestId('task-retire'))
  return { ...started, user }
}

describe('retire a badge', () => {
  it('the badge in a reader → policy (comment) → confirm → retired', async () => {
    const { fake, user } = await openRetire()
    fake.cm.retirePolicy.mockResolvedValue({
      ok: true,
      value: {
        templateId: IDS.template,
        enabled: true,
        collectComments: true,
        needsApproval: false,
        dataCollection: [],
      },
    })
    fake.cm.retireCard.mockResolvedValue({
      ok: true,
      value: {
        outcome: 'retired',
        requestId: IDS.request2,
        card: cardRecord({}).card,
        writeId: IDS.write,
      },
    })
    const badge = await screen.findByTestId('retire-badge')
    expect(badge).toHaveAttribute('data-reader-name', 'V0')
    await user.click(badge)
    expect(fake.cm.retirePolicy).toHaveBeenCalledWith({ smartcardUuid: IDS.smartcard })
    await user.type(await screen.findByTestId('retire-comment'), 'lost')
    await user.click(screen.getByTestId('retire-card'))
    const dialog = await findDialog()
    expect(dialog).toHaveTextContent(`The badge ${IDS.oldCard} will be retired`)
    await user.click(within(dialog).getByTestId('retire-card-confirm'))
    expect(fake.cm.retireCard).toHaveBeenCalledWith({ smartcardUuid: IDS.smartcard, comment: 'lost' })
    const result = await screen.findByTestId('retire-result')
    expect(result).toHaveAttribute('data-outcome', 'retired')
    expect(result).toHaveTextContent(IDS.request2)
    // The card's CM record changed while it stayed in the reader: it is looked up again.
    await expect.poll(() => fake.cm.findCard.mock.calls.length).toBeGreaterThan(1)
  })

  it('the policy’s data items are fields; a required one must be filled; they are sent with the request', async () => {
    const { fake, user } = await openRetire()
    fake.cm.retirePolicy.mockResolvedValue({
      ok: true,
      value: {
        templateId: IDS.template,
        enabled: true,
        collectComments: false,
        needsApproval: false,
        dataCollection: [
          { name: 'Reason', required: true },
          { name: 'Ticket', required: false },
        ],
      },
    })
    fake.cm.retireCard.mockResolvedValue({
      ok: true,
      value: { outcome: 'retired', requestId: IDS.request2, card: cardRecord({}).card, writeId: IDS.write },
    })
    await user.click(await screen.findByTestId('retire-badge'))
    const fields = await screen.findAllByTestId('retire-data-item')
    expect(fields.map((f) => f.getAttribute('data-item-name'))).toEqual(['Reason', 'Ticket'])
    const retire = screen.getByTestId('retire-card')
    expect(retire).toHaveAttribute('aria-disabled', 'true')
    await user.type(fields[0]!, 'left the company')
    expect(retire).not.toHaveAttribute('aria-disabled', 'true')
    await user.click(retire)
    await user.click(within(await findDialog()).getByTestId('retire-card-confirm'))
    expect(fake.cm.retireCard).toHaveBeenCalledWith({
      smartcardUuid: IDS.smartcard,
      dataCollection: [{ name: 'Reason', value: 'left the company' }],
    })
  })

  it('waiting for approval shows the Retire request id', async () => {
    const { fake, user } = await openRetire()
    fake.cm.retireCard.mockResolvedValue({
      ok: true,
      value: { outcome: 'pending-approval', requestId: IDS.request2, writeId: IDS.write },
    })
    await user.click(await screen.findByTestId('retire-badge'))
    await user.click(await screen.findByTestId('retire-card'))
    await user.click(await screen.findByTestId('retire-card-confirm'))
    const result = await screen.findByTestId('retire-result')
    expect(result).toHaveAttribute('data-outcome', 'pending-approval')
    expect(result).toHaveTextContent('The retire waits for approval in CM.')
    expect(result).toHaveAttribute('data-request-id', IDS.request2)
  })

  it('a failure is a sentence with the correlation id, and points to Pending CM writes when journaled', async () => {
    const { fake, user } = await openRetire(badgeInV0, { writes: [writeView()] })
    fake.cm.retireCard.mockResolvedValue({
      ok: false,
      error: { code: 'server-error', correlationId: 'corr-5' },
    })
    await user.click(await screen.findByTestId('retire-badge'))
    await user.click(await screen.findByTestId('retire-card'))
    await user.click(await screen.findByTestId('retire-card-confirm'))
    const error = await screen.findByTestId('retire-error')
    expect(error).toHaveAttribute('data-code', 'server-error')
    expect(within(error).getByTestId('correlation-id')).toHaveTextContent('corr-5')
    expect(error).toHaveTextContent('It stays under “Pending CM writes” on Home')
  })

  it('offers no retire when CM does not offer it, or the policy is off', async () => {
    const { user } = await openRetire((f) => {
      badgeInV0(f)
      f.cm.findCard.mockResolvedValue({ ok: true, value: cardRecord({ operations: ['unblock'] }) })
    })
    await user.click(await screen.findByTestId('retire-badge'))
    expect(await screen.findByTestId('retire-not-offered')).toBeInTheDocument()
    expect(screen.queryByTestId('retire-card')).toBeNull()
  })

  it('one of the holder’s other cards, via the holder of the badge in the reader', async () => {
    const other = {
      ...cardRecord({ uuid: IDS.smartcard2, cardId: 'c0ffee00-0000-4000-8000-000000000002' }).card,
    } as CmSmartcard
    const { fake, user } = await openRetire((f) => {
      badgeInV0(f)
      f.cm.listHolderCards.mockResolvedValue({ ok: true, value: [cardRecord({}).card, other] })
    })
    await user.click(await screen.findByTestId('show-holder-cards'))
    expect(fake.cm.listHolderCards).toHaveBeenCalledWith({ holderUuid: IDS.holder })
    const cards = await screen.findAllByTestId('retire-holder-card')
    expect(cards.map((c) => c.dataset.smartcardUuid)).toEqual([IDS.smartcard, IDS.smartcard2])
    await user.click(cards[1]!)
    expect(fake.cm.retirePolicy).toHaveBeenCalledWith({ smartcardUuid: IDS.smartcard2 })
    expect(await screen.findByTestId('retire-form')).toHaveAttribute('data-smartcard-uuid', IDS.smartcard2)
  })

  it('the holder’s badge in a reader is in their list even when CM’s list misses it (OQ-13)', async () => {
    const other = {
      ...cardRecord({ uuid: IDS.smartcard2, cardId: 'c0ffee00-0000-4000-8000-000000000002' }).card,
    } as CmSmartcard
    const { user } = await openRetire((f) => {
      badgeInV0(f)
      f.cm.listHolderCards.mockResolvedValue({ ok: true, value: [other] })
    })
    await user.click(await screen.findByTestId('show-holder-cards'))
    await expect
      .poll(() => screen.queryAllByTestId('retire-holder-card').map((c) => c.dataset.smartcardUuid))
      .toEqual([IDS.smartcard2, IDS.smartcard])
    const inReader = screen.getAllByTestId('retire-holder-card')[1]!
    expect(inReader).toHaveAttribute('data-reader-name', 'V0')
    expect(within(screen.getByTestId('holder-cards')).getByText(/in V0/)).toBeInTheDocument()
  })

  it('finds a holder in the directory when there is one', async () => {
    const { fake, user } = await openRetire(() => {}, {
      info: { directory: true },
      people: [person(IDS.holder, 'Alice Martins', 'CORP\\amartins')],
    })
    await user.type(screen.getByRole('combobox', { name: /Find a holder/ }), 'alice')
    await user.click(await screen.findByRole('option', { name: /Alice Martins/ }))
    expect(fake.cm.listHolderCards).toHaveBeenCalledWith({ holderUuid: IDS.holder })
    expect(await screen.findByTestId('holder-cards')).toHaveTextContent('Alice Martins')
  })
})
