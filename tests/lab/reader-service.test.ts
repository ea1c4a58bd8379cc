import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeLab } from './lab-env'
import { startPcscHarness, type PcscHarness } from './pcsc-harness'
import { LAB, labRunning, startLab, stopLab } from './pcsc-lab'
import { spawnVirtualCard } from './virtual-card-process'

const [READER0, READER1] = LAB.readers
const GIDS_ATR = '3b8d0180fba000000397425446590301c8'

describeLab('reader service against real pcscd + vpcd', () => {
  let h: PcscHarness

  beforeAll(async () => {
    h = await startPcscHarness()
  })

  afterAll(async () => {
    await h.close()
    if (!labRunning()) await startLab()
  })

  it('lists both virtual readers, empty', async () => {
    const s = await h.waitFor((s) => s.service === 'available' && s.readers.length === 2)
    expect(s.readers).toEqual([
      { name: READER0, kind: 'pcsc', present: false, atr: null, reconnecting: false },
      { name: READER1, kind: 'pcsc', present: false, atr: null, reconnecting: false },
    ])
  })

  it('sees a card inserted and removed in reader 0, then in reader 1', async () => {
    for (const [slot, name] of [
      [0, READER0],
      [1, READER1],
    ] as const) {
      const card = await spawnVirtualCard({ slot })
      try {
        await h.waitPresent(name)
        expect(h.service.snapshot().readers.find((r) => r.name === name)?.atr).toBe(GIDS_ATR)
        await card.remove()
        await h.waitAbsent(name)
        await card.insert()
        await h.waitPresent(name)
        const answer = await h.service.withCard(name, (c) =>
          c.transmit(Buffer.from('00a4040009a0000003974254465900', 'hex')),
        )
        expect(answer.subarray(-2).toString('hex')).toBe('9000')
      } finally {
        await card.kill()
      }
      await h.waitAbsent(name)
    }
  })

  it('reports the service unavailable when pcscd stops and recovers by itself when it returns', async () => {
    await h.waitFor((s) => s.service === 'available')
    await stopLab()
    const down = await h.waitFor((s) => s.service === 'unavailable')
    expect(down.readers).toEqual([])
    await startLab()
    const up = await h.waitFor((s) => s.service === 'available' && s.readers.length === 2, 10_000)
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
