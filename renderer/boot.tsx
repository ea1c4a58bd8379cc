import type { i18n as I18n } from 'i18next'
import type { ReactElement } from 'react'
import { App } from './app'
import { resolveStation, type StationWindow } from './bridge/resolve-station'
import {
  bindDocumentLanguage,
  createI18n,
  detectLanguage,
  rememberLanguage,
  storedLanguage,
  type LanguageStorage,
} from './i18n/i18n'
import { startCardSync } from './store/card-sync'
import { startCmConnectionSync } from './store/cm-connection-sync'
import { startEnrollmentSync } from './store/enrollment-sync'
import { createStationStore, type StationStore } from './store/store'
import { startStationSync } from './store/sync'

/** A ready-to-render app and the handles to inspect and stop it. */
export interface RendererApp {
  element: ReactElement
  store: StationStore
  i18n: I18n
  dispose(): void
}

/** The window parts the bootstrap uses. */
export type BootWindow = StationWindow &
  Pick<Window, 'navigator' | 'document'> & { localStorage?: LanguageStorage }

/** `window.localStorage`, or undefined where reading it throws (opaque origin, storage disabled). */
function languageStorage(win: BootWindow): LanguageStorage | undefined {
  try {
    return win.localStorage
  } catch {
    return undefined
  }
}

/**
 * Wire one renderer: pick the station (preload or preview bridge), the language (the operator's last choice on this
 * station, else the OS/browser's), build the
 * store and start syncing it. main.tsx renders `element`; component tests render the very same thing.
 */
export function createRendererApp(win: BootWindow): RendererApp {
  const resolved = resolveStation(win)
  const storage = languageStorage(win)
  const i18n = createI18n(storedLanguage(storage) ?? detectLanguage(win.navigator))
  const forgetLanguage = rememberLanguage(i18n, storage)
  const store = createStationStore(resolved.link ? resolved.link.status() : 'open')
  const stopCards = startCardSync(resolved.station, store)
  const stopSync = startStationSync(resolved.station, store, resolved.link)
  const stopEnrollments = startEnrollmentSync(resolved.station, store)
  const stopCmConnection = startCmConnectionSync(resolved.station, store, resolved.link)
  const unbindLanguage = bindDocumentLanguage(i18n, win.document)
  return {
    element: <App context={{ station: resolved.station, store }} i18n={i18n} />,
    store,
    i18n,
    dispose() {
      stopCmConnection()
      stopEnrollments()
      stopSync()
      stopCards()
      unbindLanguage()
      forgetLanguage()
      resolved.dispose()
    },
  }
}
