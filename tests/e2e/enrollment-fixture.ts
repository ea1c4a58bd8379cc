import { test as base, expect, type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPreviewHost, type PreviewHost } from '../../electron/preview/server'
import { parseConfig } from '../../electron/services/config'
import { createMemoryLogger } from '../../electron/services/log'
import { createStation, type Station } from '../../electron/station/station'
import { spawnVirtualCard, type VirtualCardProcess } from '../lab/virtual-card-process'
import { startCmSimProcess, type CmSimProcess } from './cm-sim-process'
import { recordingFetch } from '../support/recording-fetch'

/**
 * The lab end to end: the preview station (real services, real pcsclite over pcscd + vpcd) pointed at the CM
 * simulator running as a SEPARATE server process, with two virtual GIDS card processes in the vpcd readers — the
 * holder's old Active badge in reader 0, a new badge in reader 1 — and the real built renderer in Chromium.
 */

export const LAB_SKIP_REASON = process.env.PCSC_LAB_SKIP ?? ''
export const READER_OLD = 'Virtual PCD 00 00'
export const READER_NEW = 'Virtual PCD 00 01'
/** Alice Martins' Active badge in the training seed (template "Badge vSC (server PIN)", K0 not diversified). */
export const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
export const ALICE_OLD_SMARTCARD = '7a000000-0000-4000-8000-000000000001'
export const ALICE_OLD_CARD_ID = 'c0ffee00-0000-4000-8000-000000000001'
export const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'
export const HOLDER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000006'
/** K0 of the training badge templates (DefaultAdminKeyHex). */
export const K0_HEX = '010203040506070801020304050607080102030405060708'
/** The training seed's diversification secret of the Employee Badge templates. */
export const BADGE_SECRET = 'employee-badge-secret'

/** The virtual cards of a lab journey (state files let tests read counters and keys afterwards). */
export interface LabCards {
  old: VirtualCardProcess
  fresh: VirtualCardProcess
  freshCardId: string
  freshState: string
  /** Re-spawn the new badge from its state file (a card pulled and handed back, or another process). */
  respawnFresh(): Promise<VirtualCardProcess>
}

interface Fixtures {
  /** The secrets that crossed the CM wire (challenges, responses, keys, PINs), for the secrets grep. */
  wireSecrets: string[]
  dataDir: string
  sim: CmSimProcess
  cards: LabCards
  stationLog: ReturnType<typeof createMemoryLogger>
  station: Station
  host: PreviewHost
  recordedEvents: string[]
}

/** Every file under `dir`, recursively (the secrets grep). */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...filesUnder(p))
    else out.push(p)
  }
  return out
}

/** The text of every file under `dir`, joined (for greps). */
export function allText(dir: string): string {
  return filesUnder(dir)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n')
}

/** A preview station (real services) against `sim` with its data in `dataDir`, served to Chromium. */
export async function bootStation(
  sim: CmSimProcess,
  dataDir: string,
  log: ReturnType<typeof createMemoryLogger>,
): Promise<{ station: Station; host: PreviewHost; close(): Promise<void> }> {
  const station = await createStation({
    config: parseConfig({ cm: { appRoot: sim.appRoot, timeoutMs: 3000 }, dataDir }),
    log,
    host: 'preview',
    version: 'e2e',
  })
  const host = await startPreviewHost({
    router: station.router,
    bus: station.bus,
    log: createMemoryLogger(),
    rendererDir: join(__dirname, '..', '..', 'out', 'renderer'),
  })
  return {
    station,
    host,
    async close() {
      await host.close()
      await station.close()
    },
  }
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  wireSecrets: async ({}, use) => {
    await use([])
  },
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'station-lab-e2e-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
  // eslint-disable-next-line no-empty-pattern
  sim: async ({}, use) => {
    const sim = await startCmSimProcess()
    await use(sim)
    await sim.kill()
  },
  cards: async ({ dataDir }, use) => {
    const freshCardId = randomUUID()
    const freshState = join(dataDir, '..', `${randomUUID()}-new-badge.json`)
    const spawnFresh = () =>
      spawnVirtualCard({
        slot: 1,
        cardid: freshCardId,
        adminKey: K0_HEX,
        adminTryLimit: 5,
        pinMaxLength: 127,
        state: freshState,
      })
    const old = await spawnVirtualCard({ slot: 0, cardid: ALICE_OLD_CARD_ID, adminKey: K0_HEX })
    const holder: { fresh: VirtualCardProcess } = { fresh: await spawnFresh() }
    const cards: LabCards = {
      old,
      get fresh() {
        return holder.fresh
      },
      freshCardId,
      freshState,
      async respawnFresh() {
        await holder.fresh.kill()
        holder.fresh = await spawnFresh()
        return holder.fresh
      },
    }
    await use(cards)
    await old.kill()
    await holder.fresh.kill()
    rmSync(freshState, { force: true })
  },
  // eslint-disable-next-line no-empty-pattern
  stationLog: async ({}, use) => {
    await use(createMemoryLogger())
  },
  station: async ({ sim, cards: _cards, dataDir, stationLog, wireSecrets }, use) => {
    const station = await createStation({
      config: parseConfig({ cm: { appRoot: sim.appRoot, timeoutMs: 3000 }, dataDir }),
      log: stationLog,
      host: 'preview',
      version: 'e2e',
      fetch: recordingFetch(wireSecrets),
    })
    await use(station)
    await station.close()
  },
  recordedEvents: async ({ station }, use) => {
    // Every event the renderer could receive, as JSON: the secrets grep reads these.
    const events: string[] = []
    const off = station.bus.subscribe((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`))
    await use(events)
    off()
  },
  host: async ({ station, recordedEvents: _events }, use) => {
    const host = await startPreviewHost({
      router: station.router,
      bus: station.bus,
      log: createMemoryLogger(),
      rendererDir: join(__dirname, '..', '..', 'out', 'renderer'),
    })
    await use(host)
    await host.close()
  },
})

/** Open the station UI and wait for the reader panel. */
export async function openStation(page: Page, host: PreviewHost): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByTestId('task-issue')).toBeVisible()
}

export { expect }

export { recordingFetch }
