import { contextBridge, ipcRenderer } from 'electron'
import { createStationApi, type StationTransport } from '../shared/ipc/api'
import { isEventName } from '../shared/ipc/contract'
import type { Result } from '../shared/result'

// The ONLY file touching ipcRenderer. It exposes window.station (capabilities grouped by feature),
// never ipcRenderer itself and never a generic invoke (conventions §4).
const transport: StationTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Result<unknown>>,
  subscribe(event, listener) {
    if (!isEventName(event)) return () => {}
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => ipcRenderer.removeListener(event, wrapped)
  },
}

contextBridge.exposeInMainWorld('station', createStationApi(transport))
