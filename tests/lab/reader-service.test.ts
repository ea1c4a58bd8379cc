import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMemoryLogger } from '../../electron/services/log'
import { PcscBackend } from '../../electron/services/reader/pcsc-backend'
import { ReaderService } from '../../electron/services/reader/reader-service'
import type { ReaderSnapshot } from '../../shared/domain/reader'
import { describeLab } from './lab-env'
import { LAB, labRunning, startLab, stopLab } from './pcsc-lab'
import { spawnVirtualCard } from './virtual-card-process'

const [READER0, READER1] = LAB.readers
const GIDS_ATR = '3b8d0180fba000000397425446590301c8'

describeLab('reader service against real pcscd + vpcd', () => {
  let service: ReaderService
  let latest: ReaderSnapshot = { service: 'starting', readers: [] }
  const waiters = new Set<() => void>()

  /** Resolve when the live snapshot satisfies `cond` (event-driven, no polling of pcscd). */
  const waitFor = (cond: (s: ReaderSnapshot) => boolean, ms = 5000) =>
    new Promise<ReaderSnapshot>((resolve, reject) => {
      const check = () => {
        if (cond(latest)) {
          waiters.delete(check)
          clearTimeout(timer)
          resolve(latest)
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timeout; last snapshot ${JSON.stringify(latest)}`))
      }, ms)
      waiters.add(check)
      check()
    })
  const present = (name: string) => (s: ReaderSnapshot) =>
    s.readers.find((r) => r.name === name)?.present === true
  const absent = (name: string) => (s: ReaderSnapshot) =>
    s.readers.find((r) => r.name === name)?.present === false

  beforeAll(() => {
    service = new ReaderService({
      backends: [new PcscBackend({ log: createMemoryLogger(), initialRetryMs: 100, maxRetryMs: 400 })],
      log: createMemoryLogger(),
    })
    service.onChange((s) => {
      latest = s
      for (const w of [...waiters]) w()
    })
    service.start()
  })

  afterAll(async () => {
    await service.close()
    if (!labRunning()) await startLab()
  })

  it('lists both virtual readers, empty', async () => {
    const s = await waitFor((s) => s.service === 'available' && s.readers.length === 2)
    expect(s.readers).toEqual([
      { name: READER0, kind: 'pcsc', present: false, atr: null },
      { name: READER1, kind: 'pcsc', present: false, atr: null },
    ])
  })

  it('sees a card inserted and removed in reader 0, then in reader 1', async () => {
    for (const [slot, name] of [
      [0, READER0],
      [1, READER1],
    ] as const) {
      const card = await spawnVirtualCard({ slot })
      try {
        const s = await waitFor(present(name))
        expect(s.readers.find((r) => r.name === name)?.atr).toBe(GIDS_ATR)
        await card.remove()
        await waitFor(absent(name))
        await card.insert()
        await waitFor(present(name))
        const answer = await service.withCard(name, (c) =>
          c.transmit(Buffer.from('00a4040009a0000003974254465900', 'hex')),
        )
        expect(answer.subarray(-2).toString('hex')).toBe('9000')
      } finally {
        await card.kill()
      }
      await waitFor(absent(name))
    }
  })

  it('reports the service unavailable when pcscd stops and recovers by itself when it returns', async () => {
    await waitFor((s) => s.service === 'available')
    await stopLab()
    const down = await waitFor((s) => s.service === 'unavailable')
    expect(down.readers).toEqual([])
    await startLab()
    const up = await waitFor((s) => s.service === 'available' && s.readers.length === 2, 10_000)
    expect(up.readers.map((r) => r.name)).toEqual([READER0, READER1])
  })
})

describeLab('reader service shutdown', () => {
  /** Run the child once; resolves its exit code, or null if it hung (killed after 10 s). */
  const runChild = async (): Promise<{ code: number | null; out: string }> => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'reader-exit.ts')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(null)
      }, 10_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    return { code, out }
  }

  // Closing right after start with a card present used to hang in pcsclite's thread join (2 of 6 runs):
  // the backend now waits for each reader's first status before closing it.
  it('close() right after start releases everything so the process exits by itself, card present', async () => {
    const card = await spawnVirtualCard({ slot: 0 })
    try {
      await card.waitPresent()
      for (let i = 0; i < 4; i++) {
        const { code, out } = await runChild()
        expect(out).toContain(`readers:${READER0}|${READER1}`)
        expect(code).toBe(0)
      }
    } finally {
      await card.kill()
    }
  })
})
