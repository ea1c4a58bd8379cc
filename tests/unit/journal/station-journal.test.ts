import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../../electron/services/config'
import { loadConfig } from '../../../electron/services/config-load'
import { WriteJournal } from '../../../electron/services/journal/journal'
import { defaultDataDir, journalFileName, journalFilePath } from '../../../electron/services/journal/paths'
import { createMemoryLogger } from '../../../electron/services/log'
import { createStation, type Station } from '../../../electron/station/station'
import type { CmWriteView, SmartcardUuid } from '../../../shared/domain/cm'
import { tempDir } from './helpers'
import { absentPcsc } from '../../support/absent-pcsc'

const SERVER = 'https://cm.contoso.com/CertificateManagement'
const CARD = '7a000000-0000-4000-8000-000000000001' as SmartcardUuid
const ctx = { host: 'test' as const }

/** Put one pending retire entry into a journal file, as a previous run would have left it. */
function seedEntry(file: string): string {
  const journal = WriteJournal.open({ file, log: createMemoryLogger() })
  return journal.add({
    id: '11111111-2222-4333-8444-555555555555',
    kind: 'retire',
    state: 'pending',
    attempts: 1,
    autoRetries: 0,
    nextRetryAt: null,
    input: { smartcardUuid: CARD, comment: '', dataCollection: [] },
    progress: { requestId: null, createSent: false, priorOpenRequestIds: [], adopted: false },
    lastError: { code: 'network' },
  }).id
}

let dir: string
let cleanup: () => void
let stations: Station[] = []
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('station-journal-'))
})
afterEach(async () => {
  for (const s of stations) await s.close()
  stations = []
  cleanup()
})

async function start(config: object, extra: { dataDir?: string } = {}): Promise<Station> {
  const station = await createStation({
    config: parseConfig(config),
    log: createMemoryLogger(),
    host: 'test' as never,
    version: '1',
    pcsc: absentPcsc(),
    fetch: (config as { cm?: unknown }).cm
      ? async () => {
          throw new TypeError('fetch failed')
        }
      : (globalThis.fetch as never),
    ...extra,
  })
  stations.push(station)
  return station
}

function nextWrites(station: Station, predicate: (v: CmWriteView[]) => boolean): Promise<CmWriteView[]> {
  return new Promise((resolve) => {
    const off = station.bus.subscribe((event, payload) => {
      if (event === 'cm:writes-changed' && predicate(payload as CmWriteView[])) {
        off()
        resolve(payload as CmWriteView[])
      }
    })
  })
}

describe('journal files', () => {
  it('one per CM server, a separate one for training', () => {
    expect(journalFileName(null)).toBe('journal-training.json')
    const a = journalFileName(SERVER)
    expect(a).toMatch(/^journal-cm\.contoso\.com-[0-9a-f]{8}\.json$/)
    expect(journalFileName('https://CM.contoso.com/CertificateManagement/')).toBe(a)
    expect(journalFileName('https://cm.contoso.com/OtherCM')).not.toBe(a)
    expect(journalFileName('https://cm.contoso.com:8443/CertificateManagement')).toMatch(
      /^journal-cm\.contoso\.com_8443-[0-9a-f]{8}\.json$/,
    )
    expect(defaultDataDir('/home/op')).toBe(join('/home/op', '.cm-enrollment-station'))
  })
})

describe('dataDir setting', () => {
  it('comes from STATION_DATA_DIR or the file, must be absolute, and is optional', async () => {
    const only = { platform: 'linux', policy: null, machineFile: join(dir, 'no-machine.json') } as const
    expect((await loadConfig({ STATION_DATA_DIR: dir }, only)).dataDir).toBe(dir)
    expect(parseConfig({}).dataDir).toBeUndefined()
    expect(() => parseConfig({ dataDir: 'relative/dir' })).toThrow(ConfigError)
    await expect(loadConfig({ STATION_DATA_DIR: 'relative' }, only)).rejects.toThrow(
      /STATION_DATA_DIR: must be an absolute path/,
    )
  })
})

describe('station and the write journal', () => {
  it('training: its own file, emptied at start; a failed retire is journaled there and announced', async () => {
    const trainingFile = journalFilePath(dir, null)
    seedEntry(trainingFile)
    const station = await start({ dataDir: dir })
    expect(await station.router.dispatch('cm:list-pending-writes', {}, ctx)).toEqual({ ok: true, value: [] })
    expect(existsSync(trainingFile)).toBe(false)

    station.simulator!.control.addFault({
      match: { route: 'E17', times: 3 },
      action: { type: 'status', code: 500 },
    })
    const announced = nextWrites(station, (v) => v.some((w) => w.lastError !== null))
    const r = await station.router.dispatch('cm:retire-card', { smartcardUuid: CARD }, ctx)
    const correlationId = station.simulator!.control.lastErrors().at(-1)?.correlationId
    expect(r).toEqual({ ok: false, error: { code: 'server-error', correlationId } })
    const [view] = await announced
    expect(view).toMatchObject({
      kind: 'retire',
      smartcardUuid: CARD,
      lastError: { code: 'server-error', correlationId },
    })
    expect(readFileSync(trainingFile, 'utf8')).toContain(view!.id)
  })

  it('configured server: a different file, kept across starts, resumed by the start-up pass', async () => {
    const serverFile = journalFilePath(dir, SERVER)
    expect(serverFile).not.toBe(journalFilePath(dir, null))
    const id = seedEntry(serverFile)
    const station = await start({ cm: { appRoot: SERVER }, dataDir: dir })
    // The start-up pass runs on the next timer tick (after createStation resolved, so nothing is missed);
    // the unreachable server makes it fail again (network): kept pending, with a retry scheduled.
    const retried = nextWrites(station, (v) => v[0]?.attempts === 2 && v[0].nextRetryAt !== null)
    const list = await retried
    expect(list).toMatchObject([{ id, state: 'pending', attempts: 2, lastError: { code: 'network' } }])
    expect(await station.router.dispatch('cm:list-pending-writes', {}, ctx)).toMatchObject({
      ok: true,
      value: [{ id }],
    })
    expect(existsSync(journalFilePath(dir, null))).toBe(false)
  })

  it('config.dataDir wins over the host default (Electron userData)', async () => {
    const other = tempDir('station-journal-host-')
    try {
      seedEntry(journalFilePath(dir, SERVER))
      const station = await start({ cm: { appRoot: SERVER }, dataDir: dir }, { dataDir: other.dir })
      const listed = await station.router.dispatch('cm:list-pending-writes', {}, ctx)
      expect(listed).toMatchObject({ ok: true, value: [{ smartcardUuid: CARD }] })
      const hostOnly = await start({ cm: { appRoot: SERVER } }, { dataDir: other.dir })
      expect(await hostOnly.router.dispatch('cm:list-pending-writes', {}, ctx)).toEqual({
        ok: true,
        value: [],
      })
    } finally {
      other.cleanup()
    }
  })
})
