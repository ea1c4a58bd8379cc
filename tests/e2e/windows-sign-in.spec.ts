import { test as base, type WebSocket } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryLogger } from '../../electron/services/log'
import { expectAxeClean, tabTo } from './axe'
import { startCmSimProcess, type CmSimProcess } from './cm-sim-process'
import { bootStation, expect } from './enrollment-fixture'
import { EnrollmentPage } from './enrollment-page'

// Windows sign-in to CM (issue "The station on a managed Windows desk", e2e acceptance): the preview station against
// the CM simulator as a separate process whose IIS refuses the desk's Windows sign-in — 401 with THREE
// WWW-Authenticate fields (Negotiate, NTLM, Basic realm="…") and IIS's HTML page. The station's connection check at
// start shows the typed sign-in error with the host where the operator looks first (and no raw HTML anywhere); an
// operation shows the same typed error; after IT fixes it (the fault cleared), "Check again" shows connected.

const IIS_HTML = [
  '<html',
  '401 - Unauthorized',
  'Access is denied',
  'Server Error',
  'credentials that you supplied',
]

interface Fixtures {
  sim: CmSimProcess
  dataDir: string
}

const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  sim: async ({}, use) => {
    const sim = await startCmSimProcess()
    await use(sim)
    await sim.kill()
  },
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'station-sign-in-e2e-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
})

test('a refused Windows sign-in (401, three WWW-Authenticate, HTML) is the typed error with the host; Check again after the fix shows connected', async ({
  page,
  sim,
  dataDir,
}) => {
  await sim.applyPreset('windows-sign-in-refused', { realm: 'cm.contoso.com' })
  // The simulator answers as the reference says IIS does: three challenge fields and an HTML page.
  const raw = await fetch(`${sim.appRoot}/api/v1.0/profiletemplates`)
  expect(raw.status).toBe(401)
  expect(raw.headers.get('www-authenticate')).toBe('Negotiate, NTLM, Basic realm="cm.contoso.com"')
  expect(raw.headers.get('content-type')).toBe('text/html')
  expect(await raw.text()).toContain('401 - Unauthorized')

  const log = createMemoryLogger()
  const events: string[] = []
  const booted = await bootStation(sim, dataDir, log)
  const offBus = booted.station.bus.subscribe((name, payload) =>
    events.push(`${name} ${JSON.stringify(payload)}`),
  )
  const frames: string[] = []
  page.on('websocket', (ws: WebSocket) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
  try {
    const host = new URL(sim.appRoot).host
    await page.goto(booted.host.url)

    // Where the operator looks first: the header, then the explanation in the status region.
    const status = page.getByRole('banner').getByTestId('cm-connection')
    await expect(status).toHaveAttribute('data-state', 'sign-in-failed')
    await expect(status.getByRole('status')).toHaveText(`Windows sign-in failed for ${host}`)
    const banner = page.getByTestId('cm-connection-banner')
    await expect(banner).toContainText(`Windows sign-in to Certificate Management failed for ${host}.`)
    await expect(banner).toContainText('Check again')
    await expectAxeClean(page, 'Windows sign-in failed')

    // An operation meets the same typed error (never the HTML): the templates of "Issue a badge".
    const flow = new EnrollmentPage(page)
    await flow.openIssue()
    await expect(page.getByText(/Windows sign-in to Certificate Management failed/).first()).toBeVisible()
    for (const text of IIS_HTML) await expect(page.locator('body')).not.toContainText(text)

    // IT fixes the desk (here: the simulator's IIS accepts the sign-in again); the operator checks again by keyboard.
    await sim.clearFaults()
    const again = status.getByRole('button', { name: 'Check again' })
    await tabTo(page, again)
    await page.keyboard.press('Enter')
    await expect(status).toHaveAttribute('data-state', 'connected')
    await expect(status).toHaveAttribute('data-checking', 'false')
    await expect(status.getByRole('status')).toHaveText(`Connected to ${host}`)
    await expect(banner).toHaveCount(0)
    await expectAxeClean(page, 'connected to CM')

    // The raw 401 never left the CM client: not in the log (which names the offered schemes), events or frames.
    const logged = log.lines.join('\n')
    expect(logged).toContain('"offered":["Negotiate","NTLM","Basic"]')
    for (const text of IIS_HTML) {
      expect(logged).not.toContain(text)
      expect(events.join('\n')).not.toContain(text)
      expect(frames.join('\n')).not.toContain(text)
    }
    expect(
      events.some((e) => e.startsWith('cm:connection-changed') && e.includes('"state":"connected"')),
    ).toBe(true)
    expect(frames.join('\n')).toContain('windows-sign-in-failed')
  } finally {
    offBus()
    await booted.close()
  }
})
