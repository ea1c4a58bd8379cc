import type { Socket } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnVirtualCard } from '../../lab/virtual-card-process'
import type { VirtualCardProcess } from '../../lab/virtual-card-process'
import { FakeVpcd } from './fake-vpcd'
import { hex } from './helpers'

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())))

describe('virtual-card CLI process (driven like tests/lab, against a fake vpcd)', () => {
  let vpcd: FakeVpcd | null = null
  let card: VirtualCardProcess | null = null

  afterEach(async () => {
    await card?.kill()
    await vpcd?.close()
    card = null
    vpcd = null
  })

  it('plugs in, answers vpcd, and obeys stdin commands and SIGUSR1/SIGUSR2/SIGTERM', async () => {
    vpcd = new FakeVpcd()
    await vpcd.listen()
    card = await spawnVirtualCard({
      slot: 0,
      port: vpcd.port,
      cardid: '{bc88f13f-83ba-4f1c-9a2b-0123456789ab}',
    })
    expect(card.output()).toContain('GUID {bc88f13f-83ba-4f1c-9a2b-0123456789ab}')
    expect(card.output()).toContain('admin key KCV 8ca64d') // all-zero default key, identified by KCV only
    const s1 = await vpcd.nextSocket()
    expect((await vpcd.exchange(s1, hex('04'))).toString('hex')).toBe('3b8d0180fba000000397425446590301c8')
    await card.waitPresent()
    await vpcd.sendSplit(s1, hex('01'))
    expect((await vpcd.exchange(s1, hex('00cba012045c02df2000'))).toString('hex')).toBe(
      'df2010' + '3ff188bcba831c4f9a2b0123456789ab' + '9000',
    )

    await card.remove()
    await closed(s1)
    const insertedBySignal = card.waitLine(/^EVENT connected$/)
    process.kill(card.pid, 'SIGUSR2')
    const s2 = await vpcd.nextSocket()
    await insertedBySignal
    const gone = card.waitLine(/^EVENT removed by-user$/)
    process.kill(card.pid, 'SIGUSR1')
    await gone
    await closed(s2)

    await card.insert()
    const s3 = await vpcd.nextSocket()
    s3.destroy() // vpcd goes away (pcscd stopped): the card reconnects by itself
    const s4 = await vpcd.nextSocket()
    expect((await vpcd.exchange(s4, hex('04'))).length).toBe(17)

    await card.kill()
    expect(card.output()).toContain('EVENT exit')
  })

  it('saves its state with --state and loads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcard-unit-'))
    try {
      vpcd = new FakeVpcd()
      await vpcd.listen()
      const state = join(dir, 'card.json')
      card = await spawnVirtualCard({ slot: 1, port: vpcd.port, state, pin: '4711abcd' })
      const s = await vpcd.nextSocket()
      expect((await vpcd.exchange(s, hex('002000800430303030'))).toString('hex')).toBe('63c2')
      await card.kill()
      const saved = JSON.parse(readFileSync(state, 'utf8')) as { pin: { triesLeft: number } }
      expect(saved.pin.triesLeft).toBe(2)
      card = await spawnVirtualCard({ slot: 1, port: vpcd.port, state })
      expect(card.output()).toContain('loaded from')
      const s2 = await vpcd.nextSocket()
      expect((await vpcd.exchange(s2, hex('00cb3fff045c027f7100'))).toString('hex')).toBe(
        '7f71069701029301039000',
      )
      expect(
        (await vpcd.exchange(s2, hex('0020008008' + Buffer.from('4711abcd').toString('hex')))).toString(
          'hex',
        ),
      ).toBe('9000')
    } finally {
      await card?.kill()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses bad arguments with a message (exit 2)', async () => {
    await expect(spawnVirtualCard({ slot: 0, adminKey: 'zz', insert: false })).rejects.toThrow(/--admin-key/)
    await expect(spawnVirtualCard({ slot: 3, insert: false })).rejects.toThrow(/--slot/)
  })
})
