import { vi } from 'vitest'
import type {
  CmProfileTemplate,
  CmCardSummary,
  CmRetirePolicyView,
  CmRetireResult,
  CmSmartcard,
  CmWriteResult,
  CmWriteView,
} from '../../../shared/domain/cm'
import type { CmConnectionStatus } from '../../../shared/domain/cm-connection'
import type { DirectoryPerson, DirectorySearchResult } from '../../../shared/domain/directory'
import type {
  ApprovedRequestView,
  EnrollTemplateView,
  EnrollmentView,
  RetireCandidateView,
} from '../../../shared/domain/enrollment'
import type { ReaderInfo, ReaderSnapshot } from '../../../shared/domain/reader'
import type { StationApi } from '../../../shared/ipc/api'
import type { AppInfo, DiagnosticsExportResult } from '../../../shared/ipc/app'
import type { CardContainerView, CardIdentityView } from '../../../shared/ipc/card'
import type { EnrollmentSetPinResult } from '../../../shared/ipc/enrollment'
import type { Result } from '../../../shared/result'
import { createRendererApp, type BootWindow, type RendererApp } from '../../../renderer/boot'

/** A PC/SC reader row for fixtures. */
export function pcscReader(name: string, atr: string | null = null): ReaderInfo {
  return { name, kind: 'pcsc', present: atr !== null, atr, reconnecting: false }
}

/** A virtual reader row for fixtures. */
export function virtualReader(name: string, atr: string | null = null): ReaderInfo {
  return { name, kind: 'virtual', present: atr !== null, atr, reconnecting: false }
}

/** Default app:info of the fakes: a desk connected to a real CM. */
export const PRODUCTION_INFO: AppInfo = {
  version: '0.1.0',
  trainingMode: false,
  cmServer: 'cm.contoso.test',
  host: 'electron',
  directory: false,
  pinDisplay: 'reveal',
  readerFilter: { allow: [], deny: ['Windows Hello', 'Microsoft Passport'] },
  kiosk: false,
  idleTimeoutSec: 300,
  language: null,
}

type CardControl = (request: { reader: string }) => Promise<Result<unknown>>
type Listeners<T> = Set<(payload: T) => void>

/** Options of {@link createFakeStation}. */
export interface FakeStationOptions {
  info?: Partial<AppInfo>
  snapshot?: ReaderSnapshot
  /** Add `training.insertCard/removeCard/newCard` (the renderer feature-detects them). */
  training?: boolean
  /** `enrollment:list` answer. */
  enrollments?: EnrollmentView[]
  /** `enrollment:list-templates` answer. */
  templates?: EnrollTemplateView[]
  /** `cm:list-pending-writes` answer. */
  writes?: CmWriteView[]
  /** The directory behind `directory:lookup` / `directory:search` (used only when `info.directory`). */
  people?: DirectoryPerson[]
  /** `cm:connection-status` answer (default: connected to `info.cmServer`, checked at 09:00 UTC). */
  connection?: CmConnectionStatus
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value })

function subscribe<T>(set: Listeners<T>) {
  return vi.fn((listener: (payload: T) => void) => {
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  })
}

/** A vi.fn-based `window.station` plus a way to emit main→renderer events. */
export function createFakeStation(options: FakeStationOptions = {}) {
  const readerListeners: Listeners<ReaderSnapshot> = new Set()
  const enrollmentListeners: Listeners<EnrollmentView> = new Set()
  const removedListeners: Listeners<{ requestId: string }> = new Set()
  const writesListeners: Listeners<CmWriteView[]> = new Set()
  const connectionListeners: Listeners<CmConnectionStatus> = new Set()
  const snapshot = options.snapshot ?? { service: 'available', readers: [] }
  // The latest snapshot main has reported: the default card:identify answers with its ATR.
  let latest = snapshot
  const info: AppInfo = { ...PRODUCTION_INFO, ...options.info }
  const people = options.people ?? []
  const connection: CmConnectionStatus = options.connection ?? {
    state: 'connected',
    host: info.cmServer ?? '127.0.0.1:8085',
    training: info.trainingMode,
    checkedAt: '2026-03-02T09:00:00.000Z',
  }
  const app = {
    info: vi.fn(async (): Promise<Result<AppInfo>> => ok(info)),
    exportDiagnostics: vi.fn(async (): Promise<Result<DiagnosticsExportResult>> => ({
      ok: false,
      error: { code: 'internal' },
    })),
  }
  const reader = {
    list: vi.fn(async (): Promise<Result<ReaderSnapshot>> => ok(snapshot)),
    onChanged: subscribe(readerListeners),
  }
  const card = {
    // Default: a card that is not GIDS (tests script GIDS cards with mockImplementation / mockResolvedValue).
    identify: vi.fn(async (request: { reader: string }): Promise<Result<CardIdentityView>> => {
      const found = latest.readers.find((r) => r.name === request.reader && r.present)
      if (!found) return { ok: false, error: { code: 'no-card' } }
      return ok({ atr: found.atr ?? '', cardId: null, isGids: false })
    }),
    listCertificates: vi.fn(async (_r: { reader: string }): Promise<Result<CardContainerView[]>> => ok([])),
  }
  const cm = {
    findCard: vi.fn(async (_request: { cardId: string }): Promise<Result<CmCardSummary | null>> => ok(null)),
    listHolderCards: vi.fn(async (_r: { holderUuid?: string }): Promise<Result<CmSmartcard[]>> => ok([])),
    retirePolicy: vi.fn(async (_r: { smartcardUuid: string }): Promise<Result<CmRetirePolicyView | null>> =>
      ok(null),
    ),
    retireCard: vi.fn(
      async (_r: { smartcardUuid: string; comment?: string }): Promise<Result<CmRetireResult>> => ({
        ok: false,
        error: { code: 'internal' },
      }),
    ),
    getTemplate: vi.fn(async (_r: { templateId: string }): Promise<Result<CmProfileTemplate | null>> =>
      ok(null),
    ),
    listPendingWrites: vi.fn(async (): Promise<Result<CmWriteView[]>> => ok(options.writes ?? [])),
    onWritesChanged: subscribe(writesListeners),
    retryWrite: vi.fn(async (_r: { id: string }): Promise<Result<CmWriteResult>> => ({
      ok: false,
      error: { code: 'internal' },
    })),
    dismissWrite: vi.fn(async (_r: { id: string }): Promise<Result<CmWriteView[]>> => ok([])),
    connectionStatus: vi.fn(async (): Promise<Result<CmConnectionStatus>> => ok(connection)),
    checkConnection: vi.fn(async (): Promise<Result<CmConnectionStatus>> => ok(connection)),
    onConnectionChanged: subscribe(connectionListeners),
  }
  const unscripted = async (): Promise<Result<never>> => ({ ok: false, error: { code: 'internal' } })
  const enrollment = {
    listTemplates: vi.fn(async (): Promise<Result<EnrollTemplateView[]>> => ok(options.templates ?? [])),
    listApprovedRequests: vi.fn(async (): Promise<Result<ApprovedRequestView[]>> => ok([])),
    list: vi.fn(async (): Promise<Result<EnrollmentView[]>> => ok(options.enrollments ?? [])),
    get: vi.fn(unscripted),
    start: vi.fn(async (_r: unknown): Promise<Result<EnrollmentView>> => unscripted()),
    useCard: vi.fn(async (_r: { requestId: string; reader: string }): Promise<Result<EnrollmentView>> =>
      unscripted(),
    ),
    setPin: vi.fn(async (_r: { requestId: string; pin?: string }): Promise<Result<EnrollmentSetPinResult>> =>
      unscripted(),
    ),
    acknowledgePin: vi.fn(async (_r: { requestId: string }): Promise<Result<EnrollmentView>> => unscripted()),
    providePin: vi.fn(async (_r: { requestId: string; pin: string }): Promise<Result<EnrollmentView>> =>
      unscripted(),
    ),
    listRetireCandidates: vi.fn(async (_r: { requestId: string }): Promise<Result<RetireCandidateView[]>> =>
      ok([]),
    ),
    retireOldCards: vi.fn(
      async (_r: {
        requestId: string
        smartcardUuids: string[]
        comment?: string
      }): Promise<Result<EnrollmentView>> => unscripted(),
    ),
    retry: vi.fn(async (_r: { requestId: string }): Promise<Result<EnrollmentView>> => unscripted()),
    cancel: vi.fn(async (_r: { requestId: string }): Promise<Result<EnrollmentView>> => unscripted()),
    dismiss: vi.fn(async (_r: { requestId: string }): Promise<Result<null>> => ok(null)),
    releasePins: vi.fn(async (): Promise<Result<null>> => ok(null)),
    onChanged: subscribe(enrollmentListeners),
    onRemoved: subscribe(removedListeners),
  }
  const directory = {
    lookup: vi.fn(async (request: { uuids: string[] }): Promise<Result<DirectoryPerson[]>> =>
      ok(info.directory ? people.filter((p) => request.uuids.includes(p.uuid)) : []),
    ),
    search: vi.fn(
      async (request: { query: string; limit: number }): Promise<Result<DirectorySearchResult>> => {
        const q = request.query.toLowerCase()
        const hits = info.directory ? people.filter((p) => p.displayName.toLowerCase().includes(q)) : []
        return ok({ people: hits.slice(0, request.limit), total: hits.length })
      },
    ),
  }
  const training = {
    insertCard: vi.fn<CardControl>(async () => ok(null)),
    removeCard: vi.fn<CardControl>(async () => ok(null)),
    newCard: vi.fn<CardControl>(async () => ok(null)),
  }
  const areas = { app, reader, card, cm, enrollment, directory }
  const station = (options.training ? { ...areas, training } : areas) as unknown as StationApi
  return {
    station,
    app,
    reader,
    card,
    cm,
    enrollment,
    directory,
    training,
    /** Emit `reader:changed` to every subscriber, as main does after a change. */
    emitReaderChanged(next: ReaderSnapshot): void {
      latest = next
      for (const listener of [...readerListeners]) listener(next)
    },
    /** Emit `enrollment:changed`. */
    emitEnrollmentChanged(view: EnrollmentView): void {
      for (const listener of [...enrollmentListeners]) listener(view)
    },
    /** Emit `enrollment:removed`. */
    emitEnrollmentRemoved(requestId: string): void {
      for (const listener of [...removedListeners]) listener({ requestId })
    },
    /** Emit `cm:connection-changed`. */
    emitConnectionChanged(status: CmConnectionStatus): void {
      for (const listener of [...connectionListeners]) listener(status)
    },
    /** Emit `cm:writes-changed` (the whole list). */
    emitWritesChanged(list: CmWriteView[]): void {
      for (const listener of [...writesListeners]) listener(list)
    },
    subscriberCount: () =>
      readerListeners.size +
      enrollmentListeners.size +
      removedListeners.size +
      writesListeners.size +
      connectionListeners.size,
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
        localStorage: window.localStorage,
        navigator: { language: languages[0] ?? '', languages } as unknown as Navigator,
      }
    : window
  return createRendererApp(win)
}

/** Undo {@link bootWithFakeStation}'s `window.station`. */
export function removeFakeStation(): void {
  Reflect.deleteProperty(window, 'station')
}
