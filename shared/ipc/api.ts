import type { Result } from '../result'
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type RequestInputOf,
  type ResponseOf,
} from './contract'

/** How a host moves calls and events; preload and the preview bridge each provide one. */
export interface StationTransport {
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S
type AreaOf<N extends string> = N extends `${infer A}:${string}` ? A : never
type VerbOf<N extends string> = N extends `${string}:${infer V}` ? CamelCase<V> : never
type Areas = AreaOf<ChannelName> | AreaOf<EventName>

type MethodOf<C extends ChannelName> = (
  ...args: {} extends RequestInputOf<C> ? [request?: RequestInputOf<C>] : [request: RequestInputOf<C>]
) => Promise<Result<ResponseOf<C>>>

type AreaApi<A extends string> = {
  [C in ChannelName as C extends `${A}:${string}` ? VerbOf<C> : never]: MethodOf<C>
} & {
  [E in EventName as E extends `${A}:${string}` ? `on${Capitalize<VerbOf<E>>}` : never]: (
    listener: (payload: EventPayloadOf<E>) => void,
  ) => () => void
}

/** `window.station`: capabilities grouped by feature, typed from the contract. Never a generic invoke. */
export type StationApi = { readonly [A in Areas]: Readonly<AreaApi<A>> }

function camel(verb: string): string {
  return verb.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())
}

/** `reader:list` → ['reader', 'list']; `training:insert-card` → ['training', 'insertCard']. */
export function methodPath(name: string): [area: string, method: string] {
  const [area = '', verb = ''] = name.split(':')
  return [area, camel(verb)]
}

/** Build the grouped API over a transport. Used by the preload and by the preview bridge. */
export function createStationApi(transport: StationTransport): StationApi {
  const api: Record<string, Record<string, unknown>> = {}
  for (const name of CHANNEL_NAMES) {
    const [area, method] = methodPath(name)
    ;(api[area] ??= {})[method] = (request: unknown = {}) => transport.invoke(name, request)
  }
  for (const name of EVENT_NAMES) {
    const [area, verb] = methodPath(name)
    const method = `on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`
    ;(api[area] ??= {})[method] = (listener: (payload: unknown) => void) =>
      transport.subscribe(name, listener)
  }
  for (const area of Object.keys(api)) Object.freeze(api[area])
  return Object.freeze(api) as unknown as StationApi
}
