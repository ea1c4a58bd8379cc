// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { CmConnectionStatus } from '../../../shared/domain/cm-connection'
import type { Result } from '../../../shared/result'
import { deferred, startApp, stopApp } from './harness'

/** The CM connection status in the header, the failure banner and "Check again" (issue: Windows sign-in to CM). */

afterEach(() => stopApp())

const HOST = 'cm.contoso.test'
const at = (
  state: CmConnectionStatus['state'],
  extra: Partial<CmConnectionStatus> = {},
): CmConnectionStatus => ({
  state,
  host: HOST,
  training: false,
  checkedAt: '2026-03-02T09:00:00.000Z',
  ...extra,
})
const SIGN_IN_FAILED = at('sign-in-failed', { code: 'windows-sign-in-failed' })

const header = () => screen.getByRole('banner')
const status = () => within(header()).getByTestId('cm-connection')

describe('CM connection status', () => {
  it('shows "Connected to <host>" in the header with the check time and no banner', async () => {
    startApp()
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'connected'))
    expect(within(header()).getByRole('status')).toHaveTextContent(`Connected to ${HOST}`)
    expect(within(status()).getByText(/^Checked at /)).toBeInTheDocument()
    expect(screen.queryByTestId('cm-connection-banner')).toBeNull()
  })

  it('a refused Windows sign-in: the short line in the header, the typed message with the host and what to do below', async () => {
    startApp({ connection: SIGN_IN_FAILED })
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'sign-in-failed'))
    expect(within(header()).getByRole('status')).toHaveTextContent(`Windows sign-in failed for ${HOST}`)
    const banner = screen.getByTestId('cm-connection-banner')
    expect(banner).toHaveTextContent(`Windows sign-in to Certificate Management failed for ${HOST}.`)
    expect(banner).toHaveTextContent('Check again')
    expect(banner).toHaveTextContent('SPN')
    // The banner sits in the labelled status region, not in the header.
    expect(
      within(screen.getByRole('region', { name: 'Station status' })).getByTestId('cm-connection-banner'),
    ).toBe(banner)
  })

  it.each([
    [
      at('unreachable', { code: 'network' }),
      `${HOST} unreachable`,
      `cannot reach Certificate Management at ${HOST}`,
    ],
    [at('server-error', { code: 'not-found' }), `${HOST} answered with an error`, 'Clm.WebApi.Enabled'],
    [
      at('server-error', { code: 'server-error', correlationId: '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11' }),
      `${HOST} answered with an error`,
      '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11',
    ],
  ])('%j: header and banner', async (connection, line, detail) => {
    startApp({ connection })
    await waitFor(() => expect(status()).toHaveAttribute('data-state', connection.state))
    expect(within(header()).getByRole('status')).toHaveTextContent(line)
    expect(screen.getByTestId('cm-connection-banner')).toHaveTextContent(detail)
  })

  it('"Check again" (keyboard): Checking… while it runs, the last result kept; then the new result', async () => {
    const user = userEvent.setup()
    const answer = deferred<Result<CmConnectionStatus>>()
    const { fake } = startApp({ connection: SIGN_IN_FAILED }, (f) => {
      f.cm.checkConnection.mockImplementation(() => answer.promise)
    })
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'sign-in-failed'))
    const button = within(status()).getByRole('button', { name: 'Check again' })
    await user.tab()
    while (document.activeElement !== button) await user.tab()
    await user.keyboard('{Enter}')
    expect(fake.cm.checkConnection).toHaveBeenCalledTimes(1)
    const busy = within(status()).getByRole('button', { name: 'Checking…' })
    expect(busy).toHaveAttribute('aria-disabled', 'true')
    expect(document.activeElement).toBe(busy)
    expect(status()).toHaveAttribute('data-checking', 'true')
    expect(status()).toHaveAttribute('data-state', 'sign-in-failed')
    // A second press while it runs asks nothing more.
    await user.keyboard('{Enter}')
    expect(fake.cm.checkConnection).toHaveBeenCalledTimes(1)
    await act(async () =>
      answer.resolve({ ok: true, value: at('connected', { checkedAt: '2026-03-02T09:04:00.000Z' }) }),
    )
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'connected'))
    expect(status()).toHaveAttribute('data-checking', 'false')
    expect(screen.queryByTestId('cm-connection-banner')).toBeNull()
  })

  it('follows cm:connection-changed: checking keeps the result on screen, the result replaces it', async () => {
    const { fake } = startApp()
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'connected'))
    act(() => fake.emitConnectionChanged(at('checking')))
    expect(status()).toHaveAttribute('data-checking', 'true')
    expect(within(header()).getByRole('status')).toHaveTextContent(`Connected to ${HOST}`)
    act(() => fake.emitConnectionChanged(SIGN_IN_FAILED))
    expect(status()).toHaveAttribute('data-state', 'sign-in-failed')
    expect(screen.getByTestId('cm-connection-banner')).toBeInTheDocument()
  })

  it('before the first check finished: "Checking the connection to <host>…"', async () => {
    startApp({ connection: { state: 'checking', host: HOST, training: false, checkedAt: null } })
    await waitFor(() =>
      expect(within(header()).getByRole('status')).toHaveTextContent(`Checking the connection to ${HOST}…`),
    )
    expect(within(status()).queryByText(/^Checked at /)).toBeNull()
  })

  it('training mode: "Training simulator connected", no banner even if it fails', async () => {
    const { fake } = startApp({ info: { trainingMode: true, cmServer: null } })
    await waitFor(() =>
      expect(within(header()).getByRole('status')).toHaveTextContent('Training simulator connected'),
    )
    act(() => fake.emitConnectionChanged({ ...SIGN_IN_FAILED, training: true }))
    expect(within(header()).getByRole('status')).toHaveTextContent('Training simulator not answering')
    expect(screen.queryByTestId('cm-connection-banner')).toBeNull()
  })

  it('in Portuguese and Dutch', async () => {
    startApp({ connection: SIGN_IN_FAILED }, undefined, ['pt-BR'])
    await waitFor(() =>
      expect(within(header()).getByRole('status')).toHaveTextContent(`Falha no login do Windows em ${HOST}`),
    )
    expect(within(status()).getByRole('button', { name: 'Verificar novamente' })).toBeInTheDocument()
    stopApp()
    startApp({ connection: SIGN_IN_FAILED }, undefined, ['nl-NL'])
    await waitFor(() =>
      expect(within(header()).getByRole('status')).toHaveTextContent(
        `Windows-aanmelding mislukt voor ${HOST}`,
      ),
    )
    expect(screen.getByTestId('cm-connection-banner')).toHaveTextContent(
      `Windows-aanmelding bij Certificate Management is mislukt voor ${HOST}.`,
    )
  })

  it('stops following on dispose', async () => {
    const { fake, app } = startApp()
    await waitFor(() => expect(status()).toHaveAttribute('data-state', 'connected'))
    const before = fake.subscriberCount()
    app.dispose()
    expect(fake.subscriberCount()).toBeLessThan(before)
  })
})
