// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { CmCardSummary } from '../../../shared/domain/cm'
import type { CardIdentityView } from '../../../shared/ipc/card'
import type { Result } from '../../../shared/result'
import type { RendererApp } from '../../../renderer/boot'
import {
  bootWithFakeStation,
  createFakeStation,
  removeFakeStation,
  virtualReader,
  type FakeStation,
} from './fake-station'

const ATR = '3b8d0180fba000000397425446590301c8'
const CARD_ID = 'c0ffee00-0000-4000-8000-000000000001'
const OWNER = 'a11ce000-0000-4000-8000-00000000a11c'
const TEMPLATE = 'e1000000-5151-4a00-8000-000000000001'

let app: RendererApp | null = null

afterEach(() => {
  cleanup()
  app?.dispose()
  app = null
  removeFakeStation()
})

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const gids = (cardId: string | null = CARD_ID): Result<CardIdentityView> => ({
  ok: true,
  value: { atr: ATR, cardId, isGids: true },
})

/** A CM record as main's cm:find-card builds it (status decoded in main, raw number kept). */
function record(status: { raw: number; name?: string }, operations: string[]): CmCardSummary {
  return {
    card: {
      uuid: '7a000000-0000-4000-8000-000000000001',
      cardId: CARD_ID,
      serialNumber: `{${CARD_ID}}`,
      status: { raw: status.raw, name: status.name, confidence: status.name ? 'observed' : undefined },
      flags: { raw: 1, names: ['Primary'], unknownBits: 0 },
      parentSmartcardUuid: null,
      primarySmartcardUuid: null,
      permanentSmartcardUuid: null,
      assignedUserUuid: OWNER,
      profileTemplateUuid: TEMPLATE,
      profileTemplateVersion: 3,
      comment: '',
      middleware: 'MSBaseCSP',
      atr: ATR,
    },
    operations,
  } as unknown as CmCardSummary
}

/** Boot with reader V0 empty, then insert a card (as a reader:changed event). */
function startThenInsert(setup: (fake: FakeStation) => void, languages?: readonly string[]): FakeStation {
  const fake = createFakeStation({ snapshot: { service: 'available', readers: [virtualReader('V0')] } })
  setup(fake)
  app = bootWithFakeStation(fake, languages)
  render(app.element)
  act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0', ATR)] }))
  return fake
}

const details = () => screen.getByTestId('card-details')
const phase = async (expected: string) => {
  await expect.poll(() => details().dataset.phase).toBe(expected)
}

describe('card details', () => {
  it('shows a registered card: Card ID, status by name, owner, template and the operations CM offers', async () => {
    const fake = startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockResolvedValue({
        ok: true,
        value: record({ raw: 3, name: 'Active' }, ['renew', 'unblock', 'retire']),
      })
    })
    await phase('registered')
    const region = details()
    expect(region).toHaveAttribute('data-reader-name', 'V0')
    expect(region).toHaveAttribute('aria-live', 'polite')
    expect(region).toHaveAttribute('aria-busy', 'false')
    expect(screen.getByRole('region', { name: 'Card in V0' })).toBe(region)
    expect(within(region).getByTestId('card-id')).toHaveTextContent(CARD_ID)
    expect(within(region).getByTestId('card-id').tagName).toBe('CODE')
    const status = within(region).getByTestId('cm-status')
    expect(status).toHaveTextContent('Active')
    expect(status).toHaveAttribute('data-status-raw', '3')
    expect(within(region).getByTestId('cm-owner')).toHaveTextContent(OWNER)
    expect(within(region).getByTestId('cm-template')).toHaveTextContent(TEMPLATE)
    expect(
      within(region)
        .getAllByTestId('cm-operation')
        .map((t) => t.textContent),
    ).toEqual(['Renew', 'Unblock', 'Retire'])
    expect(within(region).getByRole('list')).toBeInTheDocument()
    expect(fake.card.identify).toHaveBeenCalledWith({ reader: 'V0' })
    expect(fake.cm.findCard).toHaveBeenCalledWith({ cardId: CARD_ID })
    expect(within(region).queryByTestId('card-error')).toBeNull()
  })

  it('names a template the operator does not enroll on through CM (E02, cm:get-template), asked once', async () => {
    const fake = startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockResolvedValue({ ok: true, value: record({ raw: 3, name: 'Active' }, []) })
      f.cm.getTemplate.mockResolvedValue({
        ok: true,
        value: {
          uuid: TEMPLATE as never,
          name: 'Badge vSC (server PIN)',
          description: '',
          isSmartcard: true,
          isVirtualSmartcard: true,
        },
      })
    })
    await phase('registered')
    const template = within(details()).getByTestId('cm-template')
    await expect.poll(() => template.textContent).toBe('Badge vSC (server PIN)')
    expect(template).toHaveAttribute('data-template-id', TEMPLATE)
    expect(fake.cm.getTemplate).toHaveBeenCalledTimes(1)
    expect(fake.cm.getTemplate).toHaveBeenCalledWith({ templateId: TEMPLATE })
  })

  it('names an unknown status number "Unknown (n)" and says when no operation is offered', async () => {
    startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockResolvedValue({ ok: true, value: record({ raw: 7 }, []) })
    })
    await phase('registered')
    const status = screen.getByTestId('cm-status')
    expect(status).toHaveTextContent('Unknown (7)')
    expect(status).toHaveAttribute('data-status-raw', '7')
    expect(screen.getByTestId('cm-operations')).toHaveTextContent('None available to you')
    expect(screen.queryAllByTestId('cm-operation')).toEqual([])
  })

  it('says "Not registered in CM" when cm:find-card answers null, still showing the Card ID', async () => {
    startThenInsert((f) => f.card.identify.mockResolvedValue(gids()))
    await phase('not-registered')
    expect(screen.getByTestId('cm-not-registered')).toHaveTextContent('Not registered in CM')
    expect(screen.getByTestId('card-id')).toHaveTextContent(CARD_ID)
    expect(screen.queryByTestId('cm-status')).toBeNull()
  })

  it('says "Not a GIDS card" and never asks CM', async () => {
    const fake = startThenInsert(() => {})
    await phase('not-gids')
    expect(screen.getByTestId('card-not-gids')).toHaveTextContent('Not a GIDS card')
    expect(screen.queryByTestId('card-id')).toBeNull()
    expect(fake.cm.findCard).not.toHaveBeenCalled()
  })

  it('says a GIDS card without a cardid is blank, and never asks CM', async () => {
    const fake = startThenInsert((f) => f.card.identify.mockResolvedValue(gids(null)))
    await phase('blank')
    expect(screen.getByTestId('card-blank')).toHaveTextContent('Blank GIDS card')
    expect(fake.cm.findCard).not.toHaveBeenCalled()
  })

  it('shows a CM failure from the error table, with the CM correlation id', async () => {
    startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockResolvedValue({ ok: false, error: { code: 'network', correlationId: 'c0rr-42' } })
    })
    await phase('lookup-failed')
    const error = screen.getByTestId('card-error')
    expect(error).toHaveAttribute('data-code', 'network')
    expect(within(error).getByText('Could not look up the card in CM')).toBeInTheDocument()
    expect(within(error).getByText('The CM server cannot be reached. Reference: c0rr-42')).toBeInTheDocument()
    expect(screen.getByTestId('card-id')).toHaveTextContent(CARD_ID)
  })

  it('shows cm-not-configured and card errors by code', async () => {
    startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockResolvedValue({ ok: false, error: { code: 'cm-not-configured' } })
    })
    await phase('lookup-failed')
    expect(screen.getByTestId('card-error')).toHaveAttribute('data-code', 'cm-not-configured')
    expect(screen.getByTestId('card-error')).toHaveTextContent('No CM server is configured.')
    cleanup()
    app?.dispose()

    startThenInsert((f) => f.card.identify.mockResolvedValue({ ok: false, error: { code: 'apdu-failed' } }))
    await phase('identify-failed')
    expect(screen.getByTestId('card-error')).toHaveAttribute('data-code', 'apdu-failed')
    const error = screen.getByTestId('card-error')
    expect(within(error).getByText('Could not identify the card')).toBeInTheDocument()
    expect(within(error).getByText('The card returned an error.')).toBeInTheDocument()
  })

  it('is busy (not announced) while identifying and looking up, then shows the outcome', async () => {
    const lookup = deferred<Result<CmCardSummary | null>>()
    const fake = startThenInsert((f) => {
      f.card.identify.mockResolvedValue(gids())
      f.cm.findCard.mockReturnValue(lookup.promise)
    })
    expect(details()).toHaveAttribute('aria-busy', 'true')
    await phase('looking-up')
    expect(details()).toHaveAttribute('aria-busy', 'true')
    expect(screen.getByText('Looking up the card in CM…')).toBeInTheDocument()
    await act(async () => lookup.resolve({ ok: true, value: record({ raw: 2, name: 'Assigned' }, []) }))
    await phase('registered')
    expect(details()).toHaveAttribute('aria-busy', 'false')
    expect(screen.getByTestId('cm-status')).toHaveTextContent('Assigned')
    expect(fake.cm.findCard).toHaveBeenCalledTimes(1)
  })

  it('clears the details when the card is removed', async () => {
    const fake = startThenInsert((f) => f.card.identify.mockResolvedValue(gids()))
    await phase('not-registered')
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0')] }))
    expect(screen.queryByTestId('card-details')).toBeNull()
  })

  it('ignores a stale answer: the card was removed before card:identify answered', async () => {
    const identify = deferred<Result<CardIdentityView>>()
    const fake = startThenInsert((f) => f.card.identify.mockReturnValue(identify.promise))
    expect(details().dataset.phase).toBe('identifying')
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0')] }))
    await act(async () => identify.resolve(gids()))
    expect(screen.queryByTestId('card-details')).toBeNull()
    expect(fake.cm.findCard).not.toHaveBeenCalled()
    expect(app!.store.getState().cards.byReader).toEqual({})
  })

  it('ignores a stale CM answer for a card replaced meanwhile, and shows the new card', async () => {
    const OTHER = 'c0ffee00-0000-4000-8000-0000000000ff'
    const firstLookup = deferred<Result<CmCardSummary | null>>()
    const fake = startThenInsert((f) => {
      f.card.identify.mockResolvedValueOnce(gids()).mockResolvedValueOnce(gids(OTHER))
      f.cm.findCard.mockReturnValueOnce(firstLookup.promise)
    })
    await phase('looking-up')
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0')] }))
    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0', ATR)] }))
    await phase('not-registered')
    expect(screen.getByTestId('card-id')).toHaveTextContent(OTHER)
    await act(async () =>
      firstLookup.resolve({ ok: true, value: record({ raw: 3, name: 'Active' }, ['retire']) }),
    )
    expect(details().dataset.phase).toBe('not-registered')
    expect(screen.getByTestId('card-id')).toHaveTextContent(OTHER)
    expect(screen.queryByTestId('cm-status')).toBeNull()
    expect(fake.card.identify).toHaveBeenCalledTimes(2)
  })

  it('translates status, labels and operations (pt-BR, nl-NL)', async () => {
    const user = userEvent.setup()
    startThenInsert(
      (f) => {
        f.card.identify.mockResolvedValue(gids())
        f.cm.findCard.mockResolvedValue({ ok: true, value: record({ raw: 3, name: 'Active' }, ['unblock']) })
      },
      ['pt-BR'],
    )
    await phase('registered')
    expect(screen.getByTestId('cm-status')).toHaveTextContent('Ativo')
    expect(screen.getByTestId('cm-operation')).toHaveTextContent('Desbloquear')
    expect(screen.getByRole('region', { name: 'Cartão em V0' })).toBeInTheDocument()
    expect(within(details()).getByText('Titular')).toBeInTheDocument()

    await user.selectOptions(screen.getByLabelText('Idioma'), 'nl-NL')
    expect(screen.getByTestId('cm-status')).toHaveTextContent('Actief')
    expect(screen.getByTestId('cm-operation')).toHaveTextContent('Deblokkeren')
    expect(within(details()).getByText('Eigenaar')).toBeInTheDocument()
  })
})
