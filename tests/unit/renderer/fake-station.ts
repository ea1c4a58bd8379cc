import { vi } from 'vitest'
import type { CmCardSummary } from '../../../shared/domain/cm'
import type { ReaderInfo, ReaderSnapshot } from '../../../shared/domain/reader'
import type { StationApi } from '../../../shared/ipc/api'
import type { AppInfo } from '../../../shared/ipc/app'
import type { CardIdentityView } from '../../../shared/ipc/card'
import type { Result } from '../../../shared/result'
import { createRendererApp, type BootWindow, type RendererApp } from '../../../renderer/boot'

/** A PC/SC reader row for fixtures. */
export function pcscReader(name: string, atr: string | null = null): ReaderInfo {
  return { name, kind: 'pcsc', present: atr !== null, atr }
}

/** A virtual reader row for fixtures. */
export function virtualReader(name: string, atr: string | null = null): ReaderInfo {
  return { name, kind: 'virtual', present: atr !== null, atr }
}

/** Default app:info of the fakes: a desk connected to a real CM. */
export const PRODUCTION_INFO: AppInfo = {
  version: '0.1.0',
  trainingMode: false,
  cmServer: 'cm.contoso.test',
  host: 'electron',
  directory: false,
  pinDisplay: 'reveal',
}

type CardControl = (request: { reader: string }) => Promise<Result<unknown>>

/** Options of {@link createFakeStation}. */
export interface FakeStationOptions {
  info?: Partial<AppInfo>
  snapshot?: ReaderSnapshot
  /** Add `training.insertCard/removeCard` (not in the contract yet: the renderer feature-detects them). */
  training?: boolean
}

/** A vi.fn-based `window.station` plus a way to emit main→renderer events. */
export function createFakeStation(options: FakeStationOptions = {}) {
  const listeners = new Set<(snapshot: ReaderSnapshot) => void>()
  const snapshot = options.snapshot ?? { service: 'available', readers: [] }
  // The latest snapshot main has reported: the default card:identify answers with its ATR.
  let latest = snapshot
  const info: AppInfo = { ...PRODUCTION_INFO, ...options.info }
  const app = { info: vi.fn(async (): Promise<Result<AppInfo>> => ({ ok: true, value: info })) }
  const reader = {
    list: vi.fn(async (): Promise<Result<ReaderSnapshot>> => ({ ok: true, value: snapshot })),
    onChanged: vi.fn((listener: (s: ReaderSnapshot) => void) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }),
  }
  const card = {
    // Default: a card that is not GIDS (tests script GIDS cards with mockImplementation / mockResolvedValue).
    identify: vi.fn(async (request: { reader: string }): Promise<Result<CardIdentityView>> => {
      const found = latest.readers.find((r) => r.name === request.reader && r.present)
      if (!found) return { ok: false, error: { code: 'no-card' } }
      return { ok: true, value: { atr: found.atr ?? '', cardId: null, isGids: false } }
    }),
  }
  const cm = {
    findCard: vi.fn(async (_request: { cardId: string }): Promise<Result<CmCardSummary | null>> => ({
      ok: true,
      value: null,
    })),
  }
  const training = {
    insertCard: vi.fn<CardControl>(async () => ({ ok: true, value: null })),
    removeCard: vi.fn<CardControl>(async () => ({ ok: true, value: null })),
  }
  // Only the areas this renderer uses; other methods of StationApi are not called by it.
  const areas = { app, reader, card, cm }
  const station = (options.training ? { ...areas, training } : areas) as unknown as StationApi
  return {
    station,
    app,
    reader,
    card,
    cm,
    training,
    /** Emit `reader:changed` to every subscriber, as main does after a change. */
    emitReaderChanged(next: ReaderSnapshot): void {
      latest = next
      for (const listener of [...listeners]) listener(next)
    },
    subscriberCount: () => listeners.size,
  }
}

/** The fake station type. */
export type FakeStation = ReturnType<typeof createFakeStation>

/**
 * Boot the real renderer (createRendererApp, as main.tsx does) with `fake` installed as `window.station`,
 * optionally with other browser language preferences.
 */
export function bootWithFakeStation(fake: FakeStation, languages?: readonly string[]): RendererApp {
  Object.defineProperty(window, 'station', { value: fake.station, configurable: true, writable: false })
  const win: BootWindow = languages
    ? {
        station: fake.station,
        location: window.location,
        document: window.document,
        navigator: { language: languages[0] ?? '', languages } as unknown as Navigator,
      }
    : window
  return createRendererApp(win)
}

/** Undo {@link bootWithFakeStation}'s `window.station`. */
export function removeFakeStation(): void {
  Reflect.deleteProperty(window, 'station')
}
