import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, createMemoryLogger } from '../../../electron/services/log'
import { createFileLogger, DIAGNOSTIC_LOG_NAME, diagnosticLogDir } from '../../../electron/services/log-file'
import { rolledFiles } from '../../../electron/services/rolling-file'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'log-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  vi.restoreAllMocks()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function parsed(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('diagnostic logger (pino)', () => {
  it('writes one JSON line per record: level name, ISO time, message, fields', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l), 'debug')
    log.debug('reader: list', { count: 2 })
    log.info('station: started', { trainingMode: true })
    log.warn('journal: write failed', { code: 'timeout' })
    log.error('ipc: handler failed', { error: new Error('boom') })
    expect(lines.every((l) => !l.includes('\n'))).toBe(true)
    const records = parsed(lines)
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      ['debug', 'reader: list'],
      ['info', 'station: started'],
      ['warn', 'journal: write failed'],
      ['error', 'ipc: handler failed'],
    ])
    expect(records[0]).toMatchObject({ count: 2 })
    expect(records[3]).toMatchObject({ error: { name: 'Error', message: 'boom' } })
    for (const r of records) expect(new Date(r.time as string).toISOString()).toBe(r.time)
  })

  it('drops records below its level', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l), 'warn')
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(parsed(lines).map((r) => r.level)).toEqual(['warn', 'error'])
  })

  it('redacts secrets at the sink: PIN, key, challenge and response fields, secret URL query values, bytes', () => {
    const log = createMemoryLogger()
    log.info('cm: GET /authenticationresponse?challenge=1hFD%2Bcz%2F0so%3D', {
      pin: '123456',
      nested: { adminKey: '0102030405060708', list: [{ response: 'F0Zudm4wPLY=' }] },
      challenge: '1hFD+cz/0so=',
      url: '/api/v1.0/x?challenge=abc&cardid=c',
      data: Buffer.from('key'),
    })
    const text = log.lines.join('\n')
    expect(text).not.toMatch(/123456|0102030405060708|F0Zudm4wPLY|1hFD|challenge=abc/)
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ pin: '[redacted]', data: '[bytes:3]' })
  })
})

describe('file-backed diagnostic log', () => {
  it('writes JSON lines to <dataDir>/logs/station.1.log at the configured level', async () => {
    const dataDir = tempDir()
    const log = await createFileLogger({ dataDir, level: 'info', stderr: false })
    log.debug('not written')
    log.info('station: started', { pin: '9999' })
    await log.close()
    const file = join(diagnosticLogDir(dataDir), 'station.1.log')
    const records = parsed(readFileSync(file, 'utf8').split('\n').filter(Boolean))
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ level: 'info', msg: 'station: started', pin: '[redacted]' })
  })

  it('also writes to stderr when asked (preview, dev)', async () => {
    const dataDir = tempDir()
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const log = await createFileLogger({ dataDir, level: 'debug', stderr: true })
    log.debug('reader: list', { count: 0 })
    await log.close()
    const echoed = spy.mock.calls.map((c) => String(c[0])).filter((t) => t.includes('reader: list'))
    expect(echoed).toHaveLength(1)
    expect(readFileSync(join(diagnosticLogDir(dataDir), 'station.1.log'), 'utf8')).toContain('reader: list')
  })

  it('rotates by size with a bounded number of files', async () => {
    const dataDir = tempDir()
    const dir = diagnosticLogDir(dataDir)
    const log = await createFileLogger({ dataDir, level: 'info', stderr: false, maxBytes: 400, maxFiles: 2 })
    for (let i = 0; i < 20; i++) {
      log.info('reader: changed', { reader: `Station Virtual Reader ${i}`, present: true, seq: i })
      await new Promise((r) => setImmediate(r))
    }
    await vi.waitFor(() => expect(readdirSync(dir).length).toBeLessThanOrEqual(2))
    await log.close()
    const files = rolledFiles(dir, DIAGNOSTIC_LOG_NAME)
    expect(files).toHaveLength(2)
    expect(Number(/\.(\d+)\.log$/.exec(files[1]!)![1])).toBeGreaterThan(2)
    const last = readFileSync(join(dir, files[1]!), 'utf8').trim().split('\n').at(-1)!
    expect(JSON.parse(last)).toMatchObject({ seq: 19 })
  })
})
