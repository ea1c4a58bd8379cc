import type { ReaderSnapshot } from '../../shared/domain/reader'
import type { AppInfo } from '../../shared/ipc/app'
import type { StationConfig } from '../services/config'

/** What `about.json` is built from. */
export interface AboutInputs {
  config: StationConfig
  info: AppInfo
  /** The account the audit names (audit/operator.ts). */
  operator: string
  dataDir: string
  readers: ReaderSnapshot
  /** The holder directory: the configured LDAP server, the training people, or none. */
  directory: 'ldap' | 'training' | null
  /** Where the configuration came from (StationOptions.configSources). */
  configSources: string[]
}

/**
 * `about.json` of the diagnostics export: an allow-list of what the help desk needs to place the logs — version,
 * host, training mode, CM server, operator, platform, the readers and their state, the effective configuration. No
 * secret is in it: the configuration holds none (the directory password is kept apart, encrypted).
 */
export function stationAbout(i: AboutInputs, now: Date = new Date()): Record<string, unknown> {
  const { config, info } = i
  return {
    product: 'CM Enrollment Station',
    version: info.version,
    host: info.host,
    trainingMode: info.trainingMode,
    cmServer: info.cmServer,
    operator: i.operator,
    exportedAt: now.toISOString(),
    platform: {
      os: process.platform,
      arch: process.arch,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
    },
    readers: {
      service: i.readers.service,
      readers: i.readers.readers.map((r) => ({ name: r.name, kind: r.kind, present: r.present })),
    },
    configuration: {
      sources: i.configSources,
      cm: config.cm ? { appRoot: config.cm.appRoot, timeoutMs: config.cm.timeoutMs } : null,
      directory:
        i.directory === 'ldap' && config.directory
          ? { url: config.directory.url, baseDn: config.directory.baseDn }
          : i.directory,
      readers: info.readerFilter,
      pinDisplay: config.pinDisplay,
      pinMinLength: config.pinMinLength,
      kiosk: config.kiosk,
      idleTimeoutSec: config.idleTimeoutSec,
      logLevel: config.logLevel,
      language: config.language ?? null,
      dataDir: i.dataDir,
    },
  }
}
