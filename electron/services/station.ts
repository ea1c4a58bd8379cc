import type { AppInfo } from '../../shared/ipc/app'
import { isTrainingMode, type StationConfig } from './config'
import { EventBus } from './ipc/event-bus'
import { createRouter, type Handlers, type Router } from './ipc/router'
import type { Logger } from './log'
import { PcscBackend } from './reader/pcsc-backend'
import { ReaderService } from './reader/reader-service'
import type { ReaderBackend } from './reader/types'

/** Inputs of the station composition (Electron main and the preview host both call createStation). */
export interface StationOptions {
  config: StationConfig
  log: Logger
  host: AppInfo['host']
  version: string
  /** Reader backends; default: real PC/SC (plus virtual readers in training mode). */
  backends?: ReaderBackend[]
}

/** The running main-side services behind one IPC router. */
export interface Station {
  router: Router
  bus: EventBus
  readers: ReaderService
  info: AppInfo
  /** Stop everything (readers, simulator) so the process can exit. */
  close(): Promise<void>
}

/** Compose the main-side services and the handler table. Transport-agnostic: hosts only add a transport. */
export async function createStation(options: StationOptions): Promise<Station> {
  const { config, log } = options
  const trainingMode = isTrainingMode(config)
  const bus = new EventBus()
  const backends = options.backends ?? [new PcscBackend({ log })]
  const readers = new ReaderService({ backends, log, filter: config.readers })
  readers.onChange((snapshot) => bus.emit('reader:changed', snapshot))

  const info: AppInfo = {
    version: options.version,
    trainingMode,
    cmServer: config.cm ? new URL(config.cm.appRoot).host : null,
    host: options.host,
  }

  const handlers: Handlers = {
    'app:info': () => info,
    'reader:list': () => readers.snapshot(),
  }

  readers.start()
  log.info('station: started', { trainingMode, host: options.host })

  return {
    router: createRouter(handlers, log),
    bus,
    readers,
    info,
    async close() {
      await readers.close()
    },
  }
}
