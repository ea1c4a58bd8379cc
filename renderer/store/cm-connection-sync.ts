import type { CmConnectionStatus } from '../../shared/domain/cm-connection'
import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import type { BridgeLink } from '../bridge/ws-transport'
import { withCmStatus } from './cm-connection-slice'
import type { StationStore } from './store'

function apply(store: StationStore, status: CmConnectionStatus): void {
  store.setState((s) => ({ cmConnection: withCmStatus(s.cmConnection, status) }))
}

/**
 * Follow the CM connection check: `cm:connection-changed` events, and `cm:connection-status` at start and after every
 * bridge reconnect (events were missed while it was down). No polling: main checks on its own schedule. Returns the
 * stop function.
 */
export function startCmConnectionSync(
  station: StationApi,
  store: StationStore,
  link: BridgeLink | null,
): () => void {
  let stopped = false
  // Bumped by every event: a status answer older than an event must not overwrite it.
  let eventCount = 0
  const offChanged = station.cm.onConnectionChanged((status) => {
    if (stopped) return
    eventCount += 1
    apply(store, status)
  })
  async function refresh(): Promise<void> {
    const seen = eventCount
    const answer = await settle(() => station.cm.connectionStatus())
    if (!stopped && answer.ok && eventCount === seen) apply(store, answer.value)
  }
  let offLink = (): void => {}
  if (link) {
    offLink = link.onStatus((status) => {
      if (status === 'open') void refresh()
    })
    if (link.status() === 'open') void refresh()
  } else {
    void refresh()
  }
  return () => {
    stopped = true
    offChanged()
    offLink()
  }
}

/**
 * The operator's "Check again": ask main to check now (`cm:check-connection`; a running check is joined). The
 * events show `checking` and the result; the answer is applied too, in case an event was lost on the way. A failed
 * call (the preview bridge is down) changes nothing: the bridge banner says so.
 */
export async function checkCmConnection(station: StationApi, store: StationStore): Promise<void> {
  const current = store.getState().cmConnection
  if (current.status) apply(store, { ...current.status, state: 'checking' })
  const answer = await settle(() => station.cm.checkConnection())
  if (answer.ok) apply(store, answer.value)
  else if (current.status) apply(store, store.getState().cmConnection.result ?? current.status)
}
