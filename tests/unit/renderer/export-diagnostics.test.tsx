// @vitest-environment jsdom
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { startApp, stopApp } from './harness'

afterEach(stopApp)

const SAVED = 'C:\\Users\\operator1\\Documents\\station-diagnostics-20260314-101502.zip'

describe('footer: Export diagnostics', () => {
  it('is reachable by keyboard; the confirmation shows where the zip went (the path only)', async () => {
    const user = userEvent.setup()
    const { fake } = startApp({}, (f) => {
      f.app.exportDiagnostics.mockResolvedValue({
        ok: true,
        value: { status: 'saved', path: SAVED, fileName: 'station-diagnostics-20260314-101502.zip' },
      })
    })
    const button = await screen.findByTestId('export-diagnostics')
    expect(button).toHaveTextContent('Export diagnostics')
    expect(button).toHaveAccessibleDescription(/help desk.*never contains PINs or keys/i)
    button.focus()
    await user.keyboard('{Enter}')
    const saved = await screen.findByTestId('diagnostics-saved')
    expect(fake.app.exportDiagnostics).toHaveBeenCalledTimes(1)
    expect(saved).toHaveTextContent('Diagnostics exported')
    expect(screen.getByTestId('diagnostics-path')).toHaveTextContent(`Saved to ${SAVED}`)
    await user.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByTestId('diagnostics-saved')).toBeNull()
  })

  it('a canceled save dialog shows nothing; a failure shows its message', async () => {
    const user = userEvent.setup()
    const { fake } = startApp()
    fake.app.exportDiagnostics.mockResolvedValueOnce({ ok: true, value: { status: 'canceled' } })
    await user.click(await screen.findByTestId('export-diagnostics'))
    await expect.poll(() => fake.app.exportDiagnostics.mock.calls.length).toBe(1)
    expect(screen.queryByTestId('diagnostics-saved')).toBeNull()
    expect(screen.queryByTestId('diagnostics-failed')).toBeNull()

    fake.app.exportDiagnostics.mockResolvedValueOnce({ ok: false, error: { code: 'export-failed' } })
    await user.click(screen.getByTestId('export-diagnostics'))
    const failed = await screen.findByTestId('diagnostics-failed')
    expect(failed).toHaveAttribute('data-code', 'export-failed')
    expect(failed).toHaveTextContent('Diagnostics not exported')
    expect(failed).toHaveTextContent(/could not be written/)
  })
})
