import type { UserUuid } from '../../shared/domain/cm'
import type { AppInfo } from '../../shared/ipc/app'
import { createTrainingHandlers } from '../simulator/card/training-handlers'
import { MemoryReaderBackend } from '../simulator/card/memory-backend'
import { newTrainingCard, trainingCardFor } from '../simulator/card/training-cards'
import { startCmSimulator, type CmSimulator } from '../simulator/cm/index'
import { generatePeople } from '../simulator/directory/people'
import { createFileAuditLog, type AuditLog } from '../services/audit/audit-log'
import { createDiagnosticsHandlers, defaultExportPath } from '../services/audit/diagnostics-export'
import { operatorAccount } from '../services/audit/operator'
import {
  followEnrollment,
  followWrites,
  safeRecorder,
  withOperatorAudit,
} from '../services/audit/station-audit'
import { GidsCardEdge } from '../services/card/gids-card-edge'
import { createCardHandlers } from '../services/card/ipc-handlers'
import { CmClient } from '../services/cm/client'
import { CmConnectionMonitor, type CmCallOutcome } from '../services/cm/connection'
import type { CmFetch } from '../services/cm/http'
import { createCmHandlers } from '../services/cm/ipc-handlers'
import { isTrainingMode, type StationConfig } from '../services/config'
import { StaticDirectory, type Directory } from '../services/directory/directory'
import { createDirectoryHandlers } from '../services/directory/ipc-handlers'
import { LdapDirectory } from '../services/directory/ldap-directory'
import { checkpointDir, CheckpointStore } from '../services/enrollment/checkpoints'
import { createEnrollmentHandlers } from '../services/enrollment/ipc-handlers'
import { PinVault } from '../services/enrollment/pin-vault'
import { EnrollmentService } from '../services/enrollment/service'
import { buildCertificationRequest } from '../services/pki/csr'
import { readIssuedCertificates } from '../services/pki/issued'
import { readerAllowed } from '../services/reader/reader-service'
import { EventBus } from '../services/ipc/event-bus'
import { createRouter, type Handlers, type Router } from '../services/ipc/router'
import { WriteJournal } from '../services/journal/journal'
import { defaultDataDir, journalFilePath } from '../services/journal/paths'
import { CmWriteService } from '../services/journal/write-service'
import type { Logger } from '../services/log'
import { PcscBackend } from '../services/reader/pcsc-backend'
import { ReaderService } from '../services/reader/reader-service'
import type { ReaderBackend } from '../services/reader/types'
import { stationAbout } from './about'

/** The CM account the station acts as against the training simulator (an enrollment agent in its seed). */
export const TRAINING_OPERATOR = 'CORP\\operator1'

/** Inputs of the station composition (Electron main and the preview host both call createStation). */
export interface StationOptions {
  config: StationConfig
  log: Logger
  host: AppInfo['host']
  version: string
  /** Real PC/SC backend; default pcsclite. Tests inject fakes. */
  pcsc?: ReaderBackend
  /** HTTP transport of the CM client: Electron passes net.fetch; Node uses the global fetch. */
  fetch?: CmFetch
  /**
   * The host's default data directory (Electron: `app.getPath('userData')`). `config.dataDir` wins;
   * without either, `~/.cm-enrollment-station`.
   */
  dataDir?: string
  /**
   * The directory service account's password (config `directory`), read at each directory connection from where the
   * host keeps it: Electron decrypts it with safeStorage, the preview took STATION_DIRECTORY_PASSWORD at start.
   * Null or absent: not set (directory searches fail as directory-auth-failed).
   */
  directoryPassword?: () => Promise<string | null>
  /**
   * The audit log (tests inject a memory one). Default: `<dataDir>/audit/audit.<n>.jsonl`, the operator being
   * TRAINING_OPERATOR in training mode, else the Windows account running the station (audit/operator.ts).
   */
  audit?: AuditLog
  /**
   * Where "Export diagnostics" writes its zip: an absolute path for the proposed file name, or null when the operator
   * canceled. Electron shows a save dialog (glue/diagnostics-dialog.ts); default: `<dataDir>/exports/<name>`.
   */
  chooseExportPath?: (fileName: string) => Promise<string | null>
  /** Where the configuration came from (files, environment, policy), for the export's about.json. */
  configSources?: string[]
}

/** The running main-side services behind one IPC router. */
export interface Station {
  router: Router
  bus: EventBus
  readers: ReaderService
  info: AppInfo
  /** The built-in CM simulator, in training mode only. */
  simulator: CmSimulator | null
  /** In-memory virtual readers (training mode). */
  virtualReaders: MemoryReaderBackend
  /** The badge-issuing workflow. */
  enrollment: EnrollmentService
  /** The CM connection check (status, checks, `cm:connection-changed`). */
  connection: CmConnectionMonitor
  /** The audit trail (one record per operator action, CM write and enrollment step). */
  audit: AuditLog
  /** The data directory in use (journal, checkpoints, logs, audit, exports). */
  dataDir: string
  /** Stop everything (readers, simulator) so the process can exit. */
  close(): Promise<void>
}

/** Compose the main-side services and the handler table. Transport-agnostic: hosts only add a transport. */
export async function createStation(options: StationOptions): Promise<Station> {
  const { config, log } = options
  const trainingMode = isTrainingMode(config)
  const bus = new EventBus()

  // Training mode: in-memory virtual readers beside the real ones, so it works without any PC/SC.
  const virtualReaders = new MemoryReaderBackend()
  const pcsc = options.pcsc ?? new PcscBackend({ log })
  const backends: ReaderBackend[] = trainingMode ? [pcsc, virtualReaders] : [pcsc]
  const readers = new ReaderService({ backends, log, filter: config.readers })
  readers.onChange((snapshot) => bus.emit('reader:changed', snapshot))

  // Training mode: the CM simulator in-process on a random loopback port — never next to a real server.
  let simulator: CmSimulator | null = null
  let cm: CmClient
  // Every CM call's outcome feeds the connection check (bound below, once the monitor exists).
  let observe: (outcome: CmCallOutcome) => void = () => {}
  const onOutcome = (outcome: CmCallOutcome) => observe(outcome)
  if (config.cm) {
    cm = new CmClient({
      appRoot: config.cm.appRoot,
      fetch: options.fetch ?? (globalThis.fetch as unknown as CmFetch),
      // Windows Integrated Authentication: the platform (net.fetch) answers Negotiate with no prompt.
      credentials: 'include',
      timeoutMs: config.cm.timeoutMs,
      onOutcome,
      log,
    })
  } else {
    simulator = await startCmSimulator({ port: 0, scenario: 'training', people: TRAINING_PEOPLE })
    const authorization = simulator.control.authorizationFor(TRAINING_OPERATOR)
    cm = new CmClient({
      appRoot: simulator.appRoot,
      fetch: options.fetch ?? (globalThis.fetch as unknown as CmFetch),
      auth: async () => authorization,
      serverProfile: 'simulator',
      onOutcome,
      log,
    })
  }
  // Can this desk reach and sign in to CM? At start, on demand, every connectionCheckSec. Training mode checks the
  // built-in simulator the same way (it is a real HTTP server on loopback) and says so: `training: true`.
  const connection = new CmConnectionMonitor({
    cm,
    host: new URL(config.cm?.appRoot ?? simulator!.appRoot).host,
    training: trainingMode,
    intervalSec: config.cm?.connectionCheckSec ?? TRAINING_CONNECTION_CHECK_SEC,
    log,
  })
  observe = (outcome) => connection.observe(outcome)
  connection.onChange((status) => bus.emit('cm:connection-changed', status))
  const edge = new GidsCardEdge({ access: readers, log })
  // Names for the GUIDs CM gives and the holder search: the configured LDAP directory; else, in training mode, the
  // simulator's people; else none (the renderer shows GUIDs and no search box).
  // Training mode keeps its own people even with a directory configured: the built-in simulator knows only them,
  // so a real person picked there could never get a request.
  if (config.directory && simulator)
    log.warn("directory: training mode uses the simulator's people; the configured directory is not used")
  const directory: Directory | null =
    config.directory && !simulator
      ? new LdapDirectory({
          config: config.directory,
          bindPassword: options.directoryPassword ?? (async () => null),
          log,
        })
      : simulator
        ? trainingDirectory(simulator)
        : null

  // "Nothing lost": operator-requested CM writes go through a durable journal, one file per CM server.
  // Training mode has its own file, emptied at start: the simulator's state starts fresh each run.
  const dataDir = config.dataDir ?? options.dataDir ?? defaultDataDir()
  const journal = WriteJournal.open({
    file: journalFilePath(dataDir, config.cm?.appRoot ?? null),
    log,
    reset: trainingMode,
  })
  const writes = new CmWriteService({ journal, cm, log })
  writes.onChange((list) => bus.emit('cm:writes-changed', list))

  // The audit trail beside the journal: the operator is the account CM sees as the caller.
  const operator = trainingMode ? TRAINING_OPERATOR : operatorAccount()
  const audit = options.audit ?? (await createFileAuditLog({ dataDir, operator, log }))
  const record = safeRecorder(audit, log)

  // The badge-issuing workflow: checkpoints per request id beside the journal (training: emptied at start, like it).
  const enrollment = new EnrollmentService({
    cm,
    card: edge,
    writes,
    pki: { buildCertificationRequest, readIssuedCertificates },
    vault: new PinVault(),
    log,
    readerAllowed: (reader) => readerAllowed(reader, config.readers),
    presentReaders: () =>
      readers
        .snapshot()
        .readers.filter((r) => r.present)
        .map((r) => r.name),
    stationPinMinLength: config.pinMinLength,
    now: () => new Date().toISOString(),
    checkpoints: new CheckpointStore(checkpointDir(dataDir, config.cm?.appRoot ?? null), log, {
      reset: trainingMode,
    }),
  })
  enrollment.onChange((view) => bus.emit('enrollment:changed', view))
  // The enrollment follows its bound card in and out of the readers (told at once, taken back when it returns).
  let presentBefore = new Set<string>()
  readers.onChange((snapshot) => {
    const present = new Set(snapshot.readers.filter((r) => r.present).map((r) => r.name))
    const inserted = new Set([...present].filter((r) => !presentBefore.has(r)))
    presentBefore = present
    enrollment.readersChanged(present, inserted)
  })
  enrollment.onRemoved((requestId) => bus.emit('enrollment:removed', { requestId }))
  // Audit, CM write layer: every settled run of the journal (subscribed before the journal's start-up pass).
  followWrites(writes, { record, enrollment })

  const info: AppInfo = {
    version: options.version,
    trainingMode,
    cmServer: config.cm ? new URL(config.cm.appRoot).host : null,
    host: options.host,
    directory: directory !== null,
    pinDisplay: config.pinDisplay,
    readerFilter: { allow: [...config.readers.allow], deny: [...config.readers.deny] },
    kiosk: config.kiosk,
    idleTimeoutSec: config.idleTimeoutSec,
    language: config.language ?? null,
  }

  const handlers: Handlers = {
    'app:info': () => info,
    'cm:check-connection': () => connection.check(),
    'cm:connection-status': () => connection.current(),
    ...createDiagnosticsHandlers({
      dataDir,
      log,
      choosePath: options.chooseExportPath ?? defaultExportPath(dataDir),
      about: () =>
        stationAbout({
          config,
          info,
          operator,
          dataDir,
          readers: readers.snapshot(),
          directory: config.directory ? 'ldap' : directory ? 'training' : null,
          configSources: options.configSources ?? [],
        }),
    }),
    'reader:list': () => readers.snapshot(),
    ...createCmHandlers({
      cm,
      writes,
      log,
      enrollmentOfCard: (smartcardUuid) => enrollment.enrollmentOfCard(smartcardUuid),
    }),
    ...createCardHandlers({ edge }),
    ...createDirectoryHandlers(directory),
    ...createEnrollmentHandlers(enrollment),
    ...createTrainingHandlers({
      memory: virtualReaders,
      trainingMode,
      makeCard: trainingCardFor,
      makeBlankCard: newTrainingCard,
    }),
  }

  readers.start()
  writes.start()
  enrollment.start()
  connection.start()
  // Audit, step layer: from the checkpoints just loaded on (their resumes run after this, in their queues).
  followEnrollment(enrollment, {
    record,
    writeOf: (kind, requestId) => writes.find(kind, requestId)?.id ?? null,
  })
  log.info('station: started', {
    trainingMode,
    host: options.host,
    cm: info.cmServer ?? 'simulator',
    directory: config.directory ? new URL(config.directory.url).host : directory ? 'training' : 'none',
    journal: journal.file,
  })

  return {
    // Audit, IPC layer: one record per operator action.
    router: createRouter(withOperatorAudit(handlers, { record, enrollment }), log),
    bus,
    readers,
    info,
    simulator,
    virtualReaders,
    enrollment,
    connection,
    audit,
    dataDir,
    async close() {
      connection.close()
      enrollment.close()
      writes.close()
      await readers.close()
      await simulator?.close()
      await audit.close()
    },
  }
}

/** Seconds between idle connection checks in training mode (the configuration default for a real server). */
const TRAINING_CONNECTION_CHECK_SEC = 180

/**
 * The training directory's people beyond the seed's named users: Brazilian, Dutch and English names, some with
 * accents, so that a search means something (issue "Find the holder"). The simulator knows them as CM users too.
 */
const TRAINING_PEOPLE = generatePeople({ count: 60, seed: 'training-directory' })

/** The training directory: every user of the simulator (its seed and TRAINING_PEOPLE), as the directory shows them. */
function trainingDirectory(simulator: CmSimulator): Directory {
  const generated = new Map(TRAINING_PEOPLE.map((p) => [p.uuid, p]))
  return new StaticDirectory(
    simulator.control.state().Users.map(
      (u) =>
        generated.get(u.Uuid as UserUuid) ?? {
          uuid: u.Uuid as UserUuid,
          displayName: u.DisplayName || u.Account,
          account: u.Account,
          upn: u.Upn || null,
          email: u.Upn || null,
          department: null,
          employeeNumber: null,
        },
    ),
  )
}
