import type { StationApi } from '../../shared/ipc/api'
import type { Result } from '../../shared/result'
import { settle } from '../bridge/settle'
import type { CardAction } from './reader-slice'
import type { StationStore } from './store'

/** `training:insert-card` / `training:remove-card` / `training:new-card` as the host exposes them. */
export type CardControl = (request: { reader: string }) => Promise<Result<unknown>>

/** The training card controls, when this host offers them. */
export interface TrainingControls {
  insertCard: CardControl
  removeCard: CardControl
  newCard: CardControl
}

/**
 * Feature-detect the training controls at run time: a host exposes the `training:*` channels only where it can act
 * on virtual readers (they answer `not-training-mode` once a CM server is configured).
 */
export function trainingControls(station: StationApi): TrainingControls | null {
  const training: unknown = (station as unknown as Record<string, unknown>)['training']
  if (typeof training !== 'object' || training === null) return null
  const { insertCard, removeCard, newCard } = training as Record<string, unknown>
  if (typeof insertCard !== 'function' || typeof removeCard !== 'function' || typeof newCard !== 'function')
    return null
  return {
    insertCard: insertCard as CardControl,
    removeCard: removeCard as CardControl,
    newCard: newCard as CardControl,
  }
}

/**
 * Insert or remove the virtual card of one reader, or put a new blank badge in it. The panel then updates from `reader:changed`, like for a
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
  const control = { insert: controls.insertCard, remove: controls.removeCard, new: controls.newCard }[action]
  const result = await settle(() => control({ reader }))
  store.setState((s) => {
    const { [reader]: _done, ...pending } = s.readers.pending
    const actionError = result.ok ? s.readers.actionError : { reader, error: result.error }
    return { readers: { ...s.readers, pending, actionError } }
  })
}
