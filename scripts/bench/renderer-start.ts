import { readdirSync, readFileSync, statSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Page } from '@playwright/test'
import { startPreviewHost } from '../../electron/preview/server'
import { parseConfig } from '../../electron/services/config'
import { createLogger } from '../../electron/services/log'
import { createStation } from '../../electron/station/station'
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config'
import { stats, type Stats } from './stats'

/** Renderer start (issue "Measured, not assumed" §6): navigation → Home interactive, cold and warm; JS size. */
export interface RendererStartResult {
  /** A new browser context each time (empty cache), ms from navigation start. */
  cold: Stats
  /** Reload in the same context (HTTP cache and compiled code warm), ms from navigation start. */
  warm: Stats
  jsBytes: number
  jsGzipBytes: number
}

// In the page: the moment the "Issue a badge" task is in the DOM and enabled (Home interactive), as performance.now()
// (ms since navigation start). A MutationObserver, so the time is the DOM's, not Playwright's polling.
const OBSERVE = `
  window.__homeInteractive = null;
  const check = () => {
    const el = document.querySelector('[data-testid="task-issue"]');
    if (el && !el.disabled && window.__homeInteractive === null) window.__homeInteractive = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
`

/** Measure with the built renderer (out/renderer) served by the preview host of a training-mode station. */
export async function measureRendererStart(samples: number): Promise<RendererStartResult> {
  const rendererDir = join(__dirname, '..', '..', 'out', 'renderer')
  const assets = join(rendererDir, 'assets')
  let jsBytes = 0
  let jsGzipBytes = 0
  for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const buf = readFileSync(join(assets, f))
    jsBytes += statSync(join(assets, f)).size
    jsGzipBytes += gzipSync(buf, { level: 9 }).length
  }
  const log = createLogger(() => undefined, 'error')
  const station = await createStation({
    config: parseConfig({ dataDir: mkdtempSync(join(tmpdir(), 'bench-renderer-')) }),
    log,
    host: 'preview',
    version: 'bench',
  })
  const host = await startPreviewHost({ router: station.router, bus: station.bus, log, rendererDir })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  const cold: number[] = []
  const warm: number[] = []
  const interactive = async (page: Page): Promise<number> => {
    // In the page (the node tsconfig has no DOM library, hence globalThis).
    await page.waitForFunction(
      () => (globalThis as unknown as { __homeInteractive: number | null }).__homeInteractive !== null,
    )
    return page.evaluate(() => (globalThis as unknown as { __homeInteractive: number }).__homeInteractive)
  }
  try {
    for (let i = 0; i < samples; i++) {
      const context = await browser.newContext()
      await context.addInitScript(OBSERVE)
      const page = await context.newPage()
      await page.goto(host.url)
      cold.push(await interactive(page))
      await page.reload()
      warm.push(await interactive(page))
      await context.close()
    }
  } finally {
    await browser.close()
    await host.close()
    await station.close()
  }
  return { cold: stats(cold), warm: stats(warm), jsBytes, jsGzipBytes }
}
