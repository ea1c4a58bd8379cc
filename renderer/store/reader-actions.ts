import type { StationApi } from '../../shared/ipc/api'
import type { Result } from '../../shared/result'
import { settle } from '../bridge/settle'
import type { CardAction } from './reader-slice'
import type { StationStore } from './store'

/** `training:insert-card` / `training:remove-card` as the preload will expose them (not in the contract yet). */
export type CardControl = (request: { reader: string }) => Promise<Result<unknown>>

/** The training card controls, when this host offers them. */
export interface TrainingControls {
  insertCard: CardControl
  removeCard: CardControl
}

/**
 * Feature-detect the training controls at run time: they exist only once the contract declares the
 * `training:*` channels (and then only do anything in training mode). Typed loosely until then.
 */
export function trainingControls(station: StationApi): TrainingControls | null {
  const training: unknown = (station as unknown as Record<string, unknown>)['training']
  if (typeof training !== 'object' || training === null) return null
  const { insertCard, removeCard } = training as Record<string, unknown>
  if (typeof insertCard !== 'function' || typeof removeCard !== 'function') return null
  return { insertCard: insertCard as CardControl, removeCard: removeCard as CardControl }
}

/**
 * Insert or remove the virtual card of one reader. The panel then updates from `reader:changed`, like for a
 * real card; only the in-flight marker and a failure are written here.
 */
export async function runCardAction(
  station: StationApi,
  store: StationStore,
  reader: string,
  action: CardAction,
): Promise<void> {
  const controls = trainingControls(station)
  if (!controls || store.getState().readers.pending[reader]) return
  store.setState((s) => ({
    readers: { ...s.readers, pending: { ...s.readers.pending, [reader]: action }, actionError: null },
  }))
  const control = action === 'insert' ? controls.insertCard : controls.removeCard
  const result = await settle(() => control({ reader }))
  store.setState((s) => {
    const { [reader]: _done, ...pending } = s.readers.pending
    const actionError = result.ok ? s.readers.actionError : { reader, error: result.error }
    return { readers: { ...s.readers, pending, actionError } }
  })
}
