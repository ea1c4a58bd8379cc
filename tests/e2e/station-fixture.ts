import { test as base, expect, type Page } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPreviewHost, type PreviewHost } from '../../electron/preview/server'
import { parseConfig } from '../../electron/services/config'
import { createMemoryLogger } from '../../electron/services/log'
import { createStation, type Station } from '../../electron/station/station'

/** Why the global setup found no PC/SC lab (and it was not required), or '' when the lab runs. */
export const LAB_SKIP_REASON = process.env.PCSC_LAB_SKIP ?? ''

/** Page object of the station UI, with intention-revealing waits (conventions §15). */
export class StationPage {
  constructor(readonly page: Page) {}

  /** The row of one reader. */
  reader(name: string) {
    return this.page.locator(`[data-testid="reader-row"][data-reader-name="${name}"]`)
  }

  /** Rows of the real PC/SC readers (training mode adds virtual ones beside them). */
  pcscRows() {
    return this.page.locator('[data-testid="reader-row"][data-reader-name^="Virtual PCD"]')
  }

  async waitForCardPresent(reader: string): Promise<void> {
    await expect(this.reader(reader)).toHaveAttribute('data-present', 'true')
  }

  async waitForCardAbsent(reader: string): Promise<void> {
    await expect(this.reader(reader)).toHaveAttribute('data-present', 'false')
  }

  /** The card-details region under a reader's row (present only while a card is in the reader). */
  cardDetails(reader: string) {
    return this.reader(reader).locator(`[data-testid="card-details"][data-reader-name="${reader}"]`)
  }

  /** Wait until the card in `reader` is identified and looked up in CM, ending in `phase`. */
  async waitForCardIdentified(reader: string, phase: string): Promise<void> {
    await expect(this.cardDetails(reader)).toHaveAttribute('data-phase', phase)
    await expect(this.cardDetails(reader)).toHaveAttribute('aria-busy', 'false')
  }

  async waitForServiceState(state: string): Promise<void> {
    await expect(this.page.getByTestId('service-state')).toHaveAttribute('data-state', state)
  }
}

interface Fixtures {
  station: Station
  host: PreviewHost
  stationPage: StationPage
  consoleErrors: string[]
}

/**
 * The real main-side services (reader service over real pcscd, training mode) run in the test
 * process, bridged by the real preview host to the real built renderer in Debian Chromium.
 */
export const test = base.extend<Fixtures>({
  // Playwright requires an object pattern for a fixture without dependencies.
  // eslint-disable-next-line no-empty-pattern
  station: async ({}, use) => {
    const station = await createStation({
      config: parseConfig({}),
      log: createMemoryLogger(),
      host: 'preview',
      version: 'e2e',
      dataDir: mkdtempSync(join(tmpdir(), 'station-e2e-')),
    })
    await use(station)
    await station.close()
  },
  host: async ({ station }, use) => {
    const host = await startPreviewHost({
      router: station.router,
      bus: station.bus,
      log: createMemoryLogger(),
      rendererDir: join(__dirname, '..', '..', 'out', 'renderer'),
    })
    await use(host)
    await host.close()
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(String(e)))
    await use(errors)
  },
  stationPage: async ({ page, host, consoleErrors: _errors }, use) => {
    await page.goto(host.url)
    await use(new StationPage(page))
  },
})

export { expect }
