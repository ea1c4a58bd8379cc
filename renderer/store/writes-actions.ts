import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import type { StationStore } from './store'
import type { WriteAction } from './writes-slice'

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record
  return rest
}

/**
 * Retry (`cm:retry-write`) or dismiss (`cm:dismiss-write`) one journaled CM write. The list itself follows
 * `cm:writes-changed`; a dismiss also answers the new list. A failure is kept per write id (shown on its row).
 */
export async function runWriteAction(
  station: StationApi,
  store: StationStore,
  id: string,
  action: WriteAction,
): Promise<void> {
  if (store.getState().writes.busy[id]) return
  store.setState((s) => ({
    writes: {
      ...s.writes,
      busy: { ...s.writes.busy, [id]: action },
      actionErrors: without(s.writes.actionErrors, id),
    },
  }))
  if (action === 'retry') {
    const result = await settle(() => station.cm.retryWrite({ id }))
    store.setState((s) => ({
      writes: {
        ...s.writes,
        busy: without(s.writes.busy, id),
        actionErrors: result.ok ? s.writes.actionErrors : { ...s.writes.actionErrors, [id]: result.error },
      },
    }))
    return
  }
  const result = await settle(() => station.cm.dismissWrite({ id }))
  store.setState((s) => ({
    writes: {
      ...s.writes,
      ...(result.ok ? { list: result.value } : {}),
      busy: without(s.writes.busy, id),
      actionErrors: result.ok ? s.writes.actionErrors : { ...s.writes.actionErrors, [id]: result.error },
    },
  }))
}
