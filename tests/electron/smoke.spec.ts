import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
// Detect the binary WITHOUT require('electron'): that would try to download it (toolchain.md §5).
import { electronBinary } from '../../scripts/electron-binary.cjs'

const exe: string | null = electronBinary()

test.describe('Electron app (real binary)', () => {
  test.skip(
    !exe,
    'Electron binary not installed: it is downloaded from GitHub, which this machine cannot reach',
  )

  test('starts in training mode with a hardened window and live reader panel', async () => {
    const app = await electron.launch({
      executablePath: exe!,
      args: [join(__dirname, '..', '..')],
      env: { ...process.env, STATION_CM_URL: '' },
    })
    try {
      const page = await app.firstWindow()
      await expect(page.getByTestId('training-banner')).toBeVisible()
      // The service line is hidden when PC/SC is available and readers exist; it is always in the DOM.
      await expect(page.getByTestId('service-state')).toBeAttached()
      const reader = page.locator('[data-testid="reader-row"][data-reader-name="Station Virtual Reader 0"]')
      await expect(reader).toHaveAttribute('data-present', 'false')
      await reader.getByTestId('insert-card').click()
      await expect(reader).toHaveAttribute('data-present', 'true')
      // The renderer has no Node and no ipcRenderer: only the capability object.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      )
      expect(
        await page.evaluate(() => Object.keys((globalThis as { station?: object }).station ?? {}).sort()),
      ).toContain('reader')
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      )
      const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)
      expect(windows).toBe(1)
    } finally {
      await app.close()
    }
  })
})
