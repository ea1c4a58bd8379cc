import { createStationApi, type StationApi } from '../../shared/ipc/api'
import { bridgeUrl } from './bridge-url'
import { createWsTransport, type BridgeLink, type SocketLike } from './ws-transport'

/** The station API the renderer uses, the link state (preview only) and how to let go of it. */
export interface ResolvedStation {
  station: StationApi
  /** The preview socket's state; null under Electron, where IPC is always there. */
  link: BridgeLink | null
  dispose(): void
}

/** The window parts the bootstrap reads. */
export type StationWindow = Pick<Window, 'station' | 'location'> & {
  WebSocket?: new (url: string) => unknown
}

const CLOSED_LINK: BridgeLink = { status: () => 'closed', onStatus: () => () => {} }

/**
 * `window.station` from the Electron preload if present; otherwise (browser preview) the same API built over
 * the WebSocket bridge. The socket stays private to the transport: nothing generic is put on window.
 */
export function resolveStation(win: StationWindow): ResolvedStation {
  if (win.station) return { station: win.station, link: null, dispose: () => {} }
  const url = bridgeUrl(win.location.href)
  const Socket = win.WebSocket
  if (!url || !Socket) {
    // Neither preload nor an http page (e.g. file:// without preload): every call answers `disconnected`.
    const station = createStationApi({
      invoke: () => Promise.resolve({ ok: false, error: { code: 'disconnected' } }),
      subscribe: () => () => {},
    })
    return { station, link: CLOSED_LINK, dispose: () => {} }
  }
  const transport = createWsTransport({ url, createSocket: (u) => new Socket(u) as SocketLike })
  return { station: createStationApi(transport), link: transport, dispose: () => transport.close() }
}
