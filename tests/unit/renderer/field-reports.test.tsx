// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { pcscReader, type FakeStation } from './fake-station'
import { startApp, stopApp } from './harness'

// Field reports, as the operator reads them: a mute card, a reader that is reconnecting, hidden platform readers.

afterEach(stopApp)

const MUTE_READER = 'ACS ACR1281 1S Dual Reader 00 02'

describe('field reports in the reader panel', () => {
  it('a mute card: "no ATR", and the unresponsive-card sentence (identify asked once, nothing sent to CM)', async () => {
    const { fake } = startApp(
      {
        snapshot: {
          service: 'available',
          readers: [{ ...pcscReader(MUTE_READER), present: true, atr: null }],
        },
      },
      (f: FakeStation) =>
        f.card.identify.mockResolvedValue({ ok: false, error: { code: 'card-unresponsive' } }),
    )
    const row = await screen.findByTestId('reader-row')
    expect(within(row).getByTestId('reader-no-atr')).toHaveTextContent('none (the card does not respond)')
    const details = await within(row).findByTestId('card-details')
    expect(
      await within(details).findByText(/does not respond \(no ATR\)\. Remove it and insert it again/),
    ).toBeVisible()
    expect(fake.card.identify).toHaveBeenCalledTimes(1)
    expect(fake.cm.findCard).not.toHaveBeenCalled()
  })

  it('a reader being re-listed shows "Reconnecting…", and is back to normal after', async () => {
    const { fake } = startApp({
      snapshot: { service: 'available', readers: [{ ...pcscReader('OMNIKEY 3x21 0'), reconnecting: true }] },
    })
    const row = await screen.findByTestId('reader-row')
    expect(within(row).getByTestId('reader-reconnecting')).toHaveTextContent('Reconnecting…')
    act(() => fake.emitReaderChanged({ service: 'available', readers: [pcscReader('OMNIKEY 3x21 0')] }))
    expect(within(screen.getByTestId('reader-row')).queryByTestId('reader-reconnecting')).toBeNull()
  })

  it('says which readers the configuration hides (the platform authenticators by default)', async () => {
    startApp({ snapshot: { service: 'available', readers: [pcscReader('OMNIKEY 3x21 0')] } })
    expect(await screen.findByTestId('reader-filter')).toHaveTextContent(
      'Not used: readers whose name contains “Windows Hello”, “Microsoft Passport”',
    )
  })
})
