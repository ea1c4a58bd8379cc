import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { startPreviewHost } from '../../electron/preview/server'
import { parseConfig } from '../../electron/services/config'
import { createLogger } from '../../electron/services/log'
import { createStation } from '../../electron/station/station'
import type { ReaderSnapshot } from '../../shared/domain/reader'
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config'
import { startCmSimProcess } from '../../tests/e2e/cm-sim-process'
import { spawnVirtualCard } from '../../tests/lab/virtual-card-process'
import { stats, type Stats } from './stats'

/**
 * Card in → identified on screen, card out → cleared (issue "Measured, not assumed" §1), on the real stack: a vpcd
 * virtual card (Alice's registered badge) inserted and removed `inserts` times in lab reader 0, the preview station
 * (real pcsclite, CM simulator as a separate process) and the real renderer in Chromium.
 *
 * Times are epoch milliseconds on one clock: the bench's own (the insert command, the station's bus event, the IPC
 * calls the renderer makes) and the page's (`performance.timeOrigin + performance.now()` in a MutationObserver that
 * sees the card details reach phase `registered`, or leave).
 *
 * - end to end: vpcd insert command → the card's CM record on screen (in this lab dominated by pcscd's ~400 ms
 *   presence poll of vpcd, which real readers do not have);
 * - the station's share: the PC/SC status event reaching the station (its `reader:changed`) → on screen, split into
 *   event → screen (bridge, store, React scheduling until `card:identify` starts), identify APDUs (`card:identify`),
 *   CM lookup (`cm:find-card`) and render (answer → DOM);
 * - card out: remove command → details gone, and the station's share from its `reader:changed`.
 */
export interface CardScreenResult {
  inserts: number
  endToEnd: Stats
  share: Stats
  eventToScreen: Stats
  identify: Stats
  cmLookup: Stats
  render: Stats
  removeEndToEnd: Stats
  removeShare: Stats
}

const READER = 'Virtual PCD 00 00'
const ALICE_OLD_CARD_ID = 'c0ffee00-0000-4000-8000-000000000001'
const K0_HEX = '010203040506070801020304050607080102030405060708'
const now = () => performance.timeOrigin + performance.now()

// In the page: when reader 0's card details reach `registered` (shown) and when they are gone (cleared).
const OBSERVE = `
  window.__cardMarks = [];
  let shown = false;
  const check = () => {
    const el = document.querySelector('[data-testid="card-details"][data-reader-name="${READER}"]');
    const registered = !!el && el.getAttribute('data-phase') === 'registered';
    if (registered && !shown) { shown = true; window.__cardMarks.push({ kind: 'shown', at: performance.timeOrigin + performance.now() }); }
    if (!el && shown) { shown = false; window.__cardMarks.push({ kind: 'cleared', at: performance.timeOrigin + performance.now() }); }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
`

/** Measure (the caller has started the PC/SC lab in the current network namespace). */
export async function measureCardScreen(inserts: number): Promise<CardScreenResult> {
  const sim = await startCmSimProcess()
  const card = await spawnVirtualCard({ slot: 0, cardid: ALICE_OLD_CARD_ID, adminKey: K0_HEX, insert: false })
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-card-screen-'))
  const log = createLogger(() => undefined, 'error')
  const station = await createStation({
    config: parseConfig({ cm: { appRoot: sim.appRoot }, dataDir }),
    log,
    host: 'preview',
    version: 'bench',
  })
  // The station's timestamps: its reader events and the IPC calls the renderer makes for the card.
  const events: Array<{ present: boolean; at: number }> = []
  let wasPresent = false
  station.bus.subscribe((name, payload) => {
    if (name !== 'reader:changed') return
    const present = (payload as ReaderSnapshot).readers.find((r) => r.name === READER)?.present === true
    if (present !== wasPresent) events.push({ present, at: now() })
    wasPresent = present
  })
  const calls: Array<{ channel: string; t0: number; t1: number }> = []
  const dispatch = station.router.dispatch.bind(station.router)
  station.router.dispatch = async (channel, payload, ctx) => {
    const t0 = now()
    try {
      return await dispatch(channel, payload, ctx)
    } finally {
      if (channel === 'card:identify' || channel === 'cm:find-card') calls.push({ channel, t0, t1: now() })
    }
  }
  const host = await startPreviewHost({
    router: station.router,
    bus: station.bus,
    log,
    rendererDir: join(__dirname, '..', '..', 'out', 'renderer'),
  })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  const out = {
    endToEnd: [] as number[],
    share: [] as number[],
    eventToScreen: [] as number[],
    identify: [] as number[],
    cmLookup: [] as number[],
    render: [] as number[],
    removeEndToEnd: [] as number[],
    removeShare: [] as number[],
  }
  try {
    const context = await browser.newContext()
    await context.addInitScript(OBSERVE)
    const page = await context.newPage()
    await page.goto(host.url)
    await page.getByTestId('task-issue').waitFor()
    const mark = async (kind: 'shown' | 'cleared', after: number): Promise<number> => {
      const handle = await page.waitForFunction(
        ([k, t]) =>
          (
            (globalThis as unknown as { __cardMarks: Array<{ kind: string; at: number }> }).__cardMarks ?? []
          ).find((m) => m.kind === k && m.at > (t as number))?.at ?? false,
        [kind, after] as const,
        { timeout: 20_000, polling: 'raf' },
      )
      return (await handle.jsonValue()) as number
    }
    // One warm-up insert (first JIT, first lookups), not counted.
    for (let i = -1; i < inserts; i++) {
      const tIn = now()
      await card.insert()
      const shown = await mark('shown', tIn)
      const event = events.filter((e) => e.present && e.at >= tIn).at(0)
      const identify = calls.find((c) => c.channel === 'card:identify' && event && c.t0 >= event.at)
      const lookup = calls.find((c) => c.channel === 'cm:find-card' && identify && c.t0 >= identify.t0)
      const tOut = now()
      await card.remove()
      const cleared = await mark('cleared', tOut)
      const gone = events.filter((e) => !e.present && e.at >= tOut).at(0)
      if (i < 0 || !event || !identify || !lookup || !gone) continue
      out.endToEnd.push(shown - tIn)
      out.share.push(shown - event.at)
      out.eventToScreen.push(identify.t0 - event.at)
      out.identify.push(identify.t1 - identify.t0)
      out.cmLookup.push(lookup.t1 - lookup.t0)
      out.render.push(shown - lookup.t1)
      out.removeEndToEnd.push(cleared - tOut)
      out.removeShare.push(cleared - gone.at)
      calls.length = 0
      events.length = 0
    }
  } finally {
    await browser.close()
    await host.close()
    await station.close()
    await card.kill()
    await sim.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return {
    inserts: out.endToEnd.length,
    endToEnd: stats(out.endToEnd),
    share: stats(out.share),
    eventToScreen: stats(out.eventToScreen),
    identify: stats(out.identify),
    cmLookup: stats(out.cmLookup),
    render: stats(out.render),
    removeEndToEnd: stats(out.removeEndToEnd),
    removeShare: stats(out.removeShare),
  }
}
