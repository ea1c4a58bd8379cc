import type { ReaderSnapshot } from '../../shared/domain/reader'
import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import type { BridgeLink } from '../bridge/ws-transport'
import type { StationStore } from './store'

function setSnapshot(store: StationStore, snapshot: ReaderSnapshot): void {
  store.setState((s) => ({ readers: { ...s.readers, snapshot, loadError: null } }))
}

/**
 * Keep the store in step with main: fetch `app:info` and `reader:list`, then follow `reader:changed` (no
 * polling). With a bridge link, re-fetch on every (re)connect, since events were missed while it was down.
 * Returns the stop function.
 */
export function startStationSync(
  station: StationApi,
  store: StationStore,
  link: BridgeLink | null,
): () => void {
  let stopped = false
  // Bumped by every event: a `reader:list` answer older than an event must not overwrite it.
  let eventCount = 0

  const offChanged = station.reader.onChanged((snapshot) => {
    if (stopped) return
    eventCount += 1
    setSnapshot(store, snapshot)
  })

  async function refresh(): Promise<void> {
    const seen = eventCount
    const [info, list] = await Promise.all([
      settle(() => station.app.info()),
      settle(() => station.reader.list()),
    ])
    if (stopped) return
    store.setState((s) => ({
      app: info.ok ? { info: info.value, error: null } : { ...s.app, error: info.error },
    }))
    if (list.ok) {
      if (eventCount === seen) setSnapshot(store, list.value)
    } else {
      store.setState((s) => ({ readers: { ...s.readers, loadError: list.error } }))
    }
  }

  let offLink = (): void => {}
  if (link) {
    const follow = (status: ReturnType<BridgeLink['status']>): void => {
      if (stopped) return
      store.setState((s) => ({ connection: { status, wasOpen: s.connection.wasOpen || status === 'open' } }))
      if (status === 'open') void refresh()
    }
    offLink = link.onStatus(follow)
    follow(link.status())
  } else {
    void refresh()
  }

  return () => {
    stopped = true
    offChanged()
    offLink()
  }
}
