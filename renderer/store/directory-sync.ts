import type { DirectoryPerson } from '../../shared/domain/directory'
import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import type { StationStore } from './store'

/** Per store: uuids asked for and not answered yet, and whether a batch is scheduled. */
const queues = new WeakMap<
  StationStore,
  { waiting: Set<string>; inFlight: Set<string>; scheduled: boolean }
>()

/**
 * Ask the directory for the names of `uuids` (`directory:lookup`), batched: every uuid asked for in the same
 * tick goes in one call. Does nothing without a directory (`app:info.directory` false: the UI shows GUIDs) or
 * for uuids already known or in flight. A failed lookup leaves them unknown (GUIDs shown; asked again later).
 */
export function requestPeople(station: StationApi, store: StationStore, uuids: readonly string[]): void {
  const state = store.getState()
  if (state.app.info?.directory !== true) return
  let queue = queues.get(store)
  if (!queue) {
    queue = { waiting: new Set(), inFlight: new Set(), scheduled: false }
    queues.set(store, queue)
  }
  for (const uuid of uuids) {
    if (uuid in state.directory.people || queue.inFlight.has(uuid)) continue
    queue.waiting.add(uuid)
  }
  if (queue.scheduled || queue.waiting.size === 0) return
  queue.scheduled = true
  const q = queue
  queueMicrotask(() => {
    q.scheduled = false
    const batch = [...q.waiting].slice(0, 200)
    for (const uuid of batch) {
      q.waiting.delete(uuid)
      q.inFlight.add(uuid)
    }
    void settle(() => station.directory.lookup({ uuids: batch })).then((result) => {
      for (const uuid of batch) q.inFlight.delete(uuid)
      if (!result.ok) return
      const found = new Map<string, DirectoryPerson>(result.value.map((p) => [p.uuid, p]))
      store.setState((s) => {
        const people = { ...s.directory.people }
        for (const uuid of batch) people[uuid] = found.get(uuid) ?? null
        return { directory: { ...s.directory, people } }
      })
      if (q.waiting.size > 0) requestPeople(station, store, [])
    })
  })
}

/** Template ids asked for and not answered yet, per store. */
const templatesInFlight = new WeakMap<StationStore, Set<string>>()

/**
 * Ask CM for the name of a profile template the operator does not enroll on (`cm:get-template`, E02), once per id;
 * a failure leaves it unknown (the GUID is shown) and it is asked again on a later use.
 */
export function requestTemplateName(station: StationApi, store: StationStore, templateId: string): void {
  if (templateId in store.getState().directory.templates) return
  let inFlight = templatesInFlight.get(store)
  if (!inFlight) {
    inFlight = new Set()
    templatesInFlight.set(store, inFlight)
  }
  if (inFlight.has(templateId)) return
  inFlight.add(templateId)
  const flying = inFlight
  void settle(() => station.cm.getTemplate({ templateId })).then((result) => {
    flying.delete(templateId)
    if (!result.ok) return
    store.setState((s) => ({
      directory: {
        ...s.directory,
        templates: { ...s.directory.templates, [templateId]: result.value?.name ?? null },
      },
    }))
  })
}
