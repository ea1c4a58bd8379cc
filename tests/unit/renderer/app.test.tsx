// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { RendererApp } from '../../../renderer/boot'
import {
  bootWithFakeStation,
  createFakeStation,
  pcscReader,
  removeFakeStation,
  virtualReader,
  type FakeStationOptions,
} from './fake-station'

const ATR = '3b8d01805b445350454b4a444d415f'

let app: RendererApp | null = null

afterEach(() => {
  cleanup()
  app?.dispose()
  app = null
  removeFakeStation()
})

function start(options: FakeStationOptions = {}, languages?: readonly string[]) {
  const fake = createFakeStation(options)
  app = bootWithFakeStation(fake, languages)
  render(app.element)
  return fake
}

function row(name: string): HTMLElement {
  const found = screen.getAllByTestId('reader-row').find((r) => r.dataset.readerName === name)
  if (!found) throw new Error(`no row for ${name}`)
  return found
}

describe('reader panel', () => {
  it('lists the readers from reader:list with kind, presence and ATR', async () => {
    const fake = start({
      snapshot: {
        service: 'available',
        readers: [pcscReader('ACME Reader 0', ATR), virtualReader('Virtual PCD 00 00')],
      },
    })
    expect(await screen.findAllByTestId('reader-row')).toHaveLength(2)

    const real = row('ACME Reader 0')
    expect(real).toHaveAttribute('data-present', 'true')
    expect(within(real).getByTestId('reader-kind')).toHaveTextContent('PC/SC')
    expect(within(real).getByTestId('card-presence')).toHaveTextContent('Card present')
    expect(within(real).getByTestId('reader-atr')).toHaveTextContent(ATR)
    expect(within(real).getByTestId('reader-atr').tagName).toBe('CODE')

    const virtual = row('Virtual PCD 00 00')
    expect(virtual).toHaveAttribute('data-present', 'false')
    expect(within(virtual).getByTestId('reader-kind')).toHaveTextContent('Virtual')
    expect(within(virtual).getByTestId('card-presence')).toHaveTextContent('No card')
    expect(within(virtual).queryByTestId('reader-atr')).toBeNull()

    expect(screen.getByTestId('service-state')).toHaveAttribute('data-state', 'available')
    expect(fake.reader.onChanged).toHaveBeenCalledTimes(1)
  })

  it('updates a row from a reader:changed event, without polling', async () => {
    const fake = start({ snapshot: { service: 'available', readers: [virtualReader('Virtual PCD 00 00')] } })
    expect(await screen.findByTestId('reader-row')).toHaveAttribute('data-present', 'false')

    act(() =>
      fake.emitReaderChanged({ service: 'available', readers: [virtualReader('Virtual PCD 00 00', ATR)] }),
    )
    const updated = row('Virtual PCD 00 00')
    expect(updated).toHaveAttribute('data-present', 'true')
    expect(within(updated).getByTestId('reader-atr')).toHaveTextContent(ATR)

    act(() =>
      fake.emitReaderChanged({
        service: 'available',
        readers: [virtualReader('Virtual PCD 00 00'), pcscReader('ACME Reader 0')],
      }),
    )
    expect(screen.getAllByTestId('reader-row')).toHaveLength(2)
    expect(row('Virtual PCD 00 00')).toHaveAttribute('data-present', 'false')
    expect(fake.reader.list).toHaveBeenCalledTimes(1)
  })

  it('announces reader changes politely', async () => {
    start({ snapshot: { service: 'available', readers: [pcscReader('ACME Reader 0')] } })
    await screen.findByTestId('reader-row')
    expect(screen.getByTestId('reader-list')).toHaveAttribute('aria-live', 'polite')
    expect(screen.getByRole('main')).toBeInTheDocument()
    expect(screen.getByRole('banner')).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('CM Enrollment Station')
  })

  it('shows the PC/SC service states', async () => {
    const fake = start({ snapshot: { service: 'unavailable', readers: [] } })
    expect(await screen.findByText('PC/SC service unavailable — retrying…')).toBeInTheDocument()
    expect(screen.getByTestId('service-state')).toHaveAttribute('data-state', 'unavailable')

    act(() => fake.emitReaderChanged({ service: 'unsupported', readers: [] }))
    expect(screen.getByTestId('service-state')).toHaveAttribute('data-state', 'unsupported')
    expect(screen.getByText('Smart-card support unavailable')).toBeInTheDocument()
    expect(screen.queryByText('PC/SC service unavailable — retrying…')).toBeNull()

    act(() => fake.emitReaderChanged({ service: 'available', readers: [] }))
    expect(screen.getByText('No card readers found')).toBeInTheDocument()

    act(() => fake.emitReaderChanged({ service: 'available', readers: [pcscReader('ACME Reader 0')] }))
    expect(screen.queryByText('No card readers found')).toBeNull()
  })

  it('shows a localized message when reader:list fails', async () => {
    const fake = createFakeStation()
    fake.reader.list.mockResolvedValue({ ok: false, error: { code: 'pcsc-unavailable' } })
    app = bootWithFakeStation(fake)
    render(app.element)
    expect(await screen.findByTestId('reader-load-error')).toHaveTextContent(
      'Could not load the card readers: The PC/SC smart-card service is unavailable.',
    )
  })
})

describe('training mode', () => {
  it('shows the persistent banner when app:info says trainingMode', async () => {
    start({ info: { trainingMode: true, cmServer: null } })
    expect(await screen.findByTestId('training-banner')).toHaveTextContent(
      'Training mode — no real certificates',
    )
  })

  it('has no banner for a production station', async () => {
    start({ info: { trainingMode: false } })
    expect(await screen.findByText('CM server: cm.contoso.test')).toBeInTheDocument()
    expect(screen.queryByTestId('training-banner')).toBeNull()
  })

  it('offers no card controls when the host has no training API', async () => {
    start({
      info: { trainingMode: true },
      snapshot: { service: 'available', readers: [virtualReader('V0')] },
    })
    await screen.findByTestId('reader-row')
    expect(screen.queryByTestId('insert-card')).toBeNull()
  })

  it('inserts and removes virtual cards through window.station.training', async () => {
    const user = userEvent.setup()
    const fake = start({
      info: { trainingMode: true },
      training: true,
      snapshot: { service: 'available', readers: [virtualReader('V0'), pcscReader('ACME Reader 0')] },
    })
    await screen.findAllByTestId('reader-row')
    expect(within(row('ACME Reader 0')).queryByRole('button')).toBeNull()

    await user.click(within(row('V0')).getByRole('button', { name: 'Insert card into V0' }))
    expect(fake.training.insertCard).toHaveBeenCalledWith({ reader: 'V0' })

    act(() => fake.emitReaderChanged({ service: 'available', readers: [virtualReader('V0', ATR)] }))
    await user.click(within(row('V0')).getByRole('button', { name: 'Remove card from V0' }))
    expect(fake.training.removeCard).toHaveBeenCalledWith({ reader: 'V0' })
  })

  it('puts a new blank badge into a virtual reader (training:new-card), whether or not it holds a card', async () => {
    const user = userEvent.setup()
    const fake = start({
      info: { trainingMode: true },
      training: true,
      snapshot: { service: 'available', readers: [virtualReader('V0', ATR)] },
    })
    await screen.findByTestId('reader-row')
    await user.click(within(row('V0')).getByRole('button', { name: 'Put a new blank badge into V0' }))
    expect(fake.training.newCard).toHaveBeenCalledWith({ reader: 'V0' })
    expect(fake.training.removeCard).not.toHaveBeenCalled()
  })

  it('shows the failure of a card action from the error table', async () => {
    const user = userEvent.setup()
    const fake = start({ training: true, snapshot: { service: 'available', readers: [virtualReader('V0')] } })
    fake.training.insertCard.mockResolvedValue({ ok: false, error: { code: 'not-training-mode' } })
    await user.click(await screen.findByTestId('insert-card'))
    expect(await screen.findByTestId('reader-action-error')).toHaveTextContent(
      'V0: This is only available in training mode.',
    )
  })
})

describe('languages', () => {
  it('switches every string with the header picker', async () => {
    const user = userEvent.setup()
    start({
      info: { trainingMode: true },
      snapshot: { service: 'unavailable', readers: [virtualReader('V0')] },
    })
    await screen.findByTestId('training-banner')
    expect(screen.getByRole('heading', { level: 2, name: 'Card readers' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 2, name: 'Desk tasks' })).toBeInTheDocument()

    await user.selectOptions(screen.getByLabelText('Language'), 'pt-BR')
    expect(screen.getByRole('heading', { level: 2, name: 'Leitoras de cartão' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: /Emitir um crachá/ })).toBeInTheDocument()
    expect(screen.getByTestId('training-banner')).toHaveTextContent(
      'Modo de treinamento — nenhum certificado real',
    )
    expect(screen.getByText('Serviço PC/SC indisponível — tentando novamente…')).toBeInTheDocument()
    expect(within(row('V0')).getByTestId('card-presence')).toHaveTextContent('Sem cartão')
    expect(document.documentElement.lang).toBe('pt-BR')

    await user.selectOptions(screen.getByLabelText('Idioma'), 'nl-NL')
    expect(screen.getByRole('heading', { level: 2, name: 'Kaartlezers' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 2, name: 'Lopende uitgiftes' })).toBeInTheDocument()
    expect(screen.getByTestId('training-banner')).toHaveTextContent(
      'Trainingsmodus — geen echte certificaten',
    )
    expect(within(row('V0')).getByTestId('reader-kind')).toHaveTextContent('Virtueel')
    expect(document.documentElement.lang).toBe('nl-NL')
  })

  it("keeps the operator's language for the next start, over the OS/browser's", async () => {
    const user = userEvent.setup()
    start({ snapshot: { service: 'available', readers: [] } }, ['en-US'])
    await user.selectOptions(screen.getByLabelText('Language'), 'pt-BR')
    cleanup()
    app?.dispose()
    start({ snapshot: { service: 'available', readers: [] } }, ['en-US'])
    expect(await screen.findByLabelText('Idioma')).toHaveValue('pt-BR')
    expect(document.documentElement.lang).toBe('pt-BR')
  })

  it('starts in the language of the OS/browser', async () => {
    start({ snapshot: { service: 'available', readers: [] } }, ['nl-BE', 'en'])
    expect(await screen.findByText('Geen kaartlezers gevonden')).toBeInTheDocument()
    expect(screen.getByLabelText('Taal')).toHaveValue('nl-NL')
  })
})
