/**
 * OpenSC as an independent oracle for the virtual GIDS card (gids-card-edge.md §11 acceptance check):
 * opensc-tool must name it "GIDS Smart Card" in both vpcd readers, and gids-tool must be able to
 * initialise a blank card, unblock the PIN with the admin key and change the admin key. gids-tool's
 * exit code is not trusted (§8): the card is re-read afterwards through OpenSC and raw APDUs.
 * Run: flock /tmp/pcsc-lab.lock npx vitest run -c vitest.lab.config.mts tests/lab/opensc-gids.test.ts
 */
import { execFile } from 'node:child_process'
import { constants, createPublicKey, publicEncrypt, verify } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { cardIdToGuid } from '../../electron/services/card/cardid'
import { describeLab } from './lab-env'
import { spawnVirtualCard } from './virtual-card-process'
import type { VirtualCardProcess } from './virtual-card-process'

interface Run {
  code: number
  out: string
  ms: number
}

/** Run an OpenSC tool; never throws (the exit code is part of the result, and is not trusted). */
function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<Run> {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, out: `${stdout}${stderr}`, ms: Math.round(performance.now() - t0) })
    })
    child.stdin?.end() // gids-tool prompts for missing values: make that an immediate EOF, not a hang
  })
}

/** Send raw APDUs in one OpenSC session (one PC/SC connection: volatile card state holds). */
async function apdus(reader: number, list: string[]): Promise<string[]> {
  const r = await run('opensc-tool', ['-r', String(reader), ...list.flatMap((a) => ['-s', a])])
  // opensc-tool prints "Received (SW1=0x90, SW2=0x00)" per APDU, followed by the response bytes.
  return [...r.out.matchAll(/Received \(SW1=0x([0-9A-F]{2}), SW2=0x([0-9A-F]{2})\)/gi)].map((m) =>
    `${m[1]}${m[2]}`.toLowerCase(),
  )
}

const hexSpaced = (h: string) => h.match(/../g)!.join(' ')
const K = '000102030405060708090a0b0c0d0e0f1011121314151617'
const NEW_K = '404142434445464748494a4b4c4d4e4f5051525354555657'
const SERIAL = '00112233445566778899aabbccddeeff'
const SELECT = '00 A4 04 0C 09 A0 00 00 03 97 42 54 46 59'

describeLab('virtual GIDS card through real pcscd + OpenSC', () => {
  const cards: VirtualCardProcess[] = []
  let dir = ''

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcard-'))
  })
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.kill()))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function card(opts: Parameters<typeof spawnVirtualCard>[0]): Promise<VirtualCardProcess> {
    const c = await spawnVirtualCard(opts)
    cards.push(c)
    await c.waitPresent()
    return c
  }

  it('opensc-tool names it "GIDS Smart Card" in reader 0 and reader 1 (detection time measured)', async () => {
    const guid = '{bc88f13f-83ba-4f1c-9a2b-0123456789ab}'
    await card({ slot: 0, cardid: guid })
    await card({ slot: 1 })
    const list = await run('opensc-tool', ['-l', '-n'])
    expect(list.out).toMatch(/0\s+Yes\s+Virtual PCD 00 00/)
    expect(list.out).toMatch(/1\s+Yes\s+Virtual PCD 00 01/)
    expect(list.out).toContain('GIDS Smart Card')
    const timings: number[] = []
    for (const reader of [0, 1]) {
      const r = await run('opensc-tool', ['-r', String(reader), '-n'])
      expect(r.out.trim(), r.out).toBe('GIDS Smart Card')
      timings.push(r.ms)
    }
    // OpenSC's serial is the 16 cardid bytes in card order (§4.4); the GUID went through OQ-19's layout.
    const serial = await run('opensc-tool', ['-r', '0', '--serial'])
    expect(serial.out.toUpperCase()).toContain(hexSpaced('3ff188bcba831c4f9a2b0123456789ab').toUpperCase())
    console.info(`OpenSC detection (opensc-tool -r N -n): ${timings.join(' ms, ')} ms; -l -n ${list.ms} ms`)
  }, 60_000)

  it('gids-tool -X personalises a blank card; -U unblocks with the admin key; -C changes the key', async () => {
    const state = join(dir, 'blank.json')
    await card({ slot: 1, blank: true, state })
    const before = await run('gids-tool', ['-r', '1'])
    expect(before.out).not.toContain('Found 5 entries')

    const init = await run('gids-tool', [
      '-r',
      '1',
      '-X',
      '--admin-key',
      K,
      '--pin',
      '123456',
      '--serial-number',
      SERIAL,
    ])
    expect(init.out).not.toMatch(/failed/i)
    // Re-read instead of trusting the exit code (§8).
    const serial = await run('opensc-tool', ['-r', '1', '--serial'])
    expect(serial.out.toUpperCase()).toContain(hexSpaced(SERIAL).toUpperCase())
    const dump = await run('gids-tool', ['-r', '1'])
    expect(dump.out).toContain('Found 5 entries in the masterfile')
    expect(dump.out).toMatch(/File: \\cardid[\s\S]*?Size: 16/)
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { lifeCycle: string; adminKey: string }
    expect(saved.lifeCycle).toBe('operational')
    expect(saved.adminKey).toBe(K)
    expect(cardIdToGuid(Buffer.from(SERIAL, 'hex'))).toBe('33221100-5544-7766-8899-aabbccddeeff')

    // Block the PIN, then unblock it with the admin key.
    const wrong = `00 20 00 80 04 30 30 30 30`
    expect(await apdus(1, [SELECT, wrong, wrong, wrong, wrong])).toEqual([
      '9000',
      '63c2',
      '63c1',
      '63c0',
      '6983',
    ])
    const unblock = await run('gids-tool', ['-r', '1', '-U', '--admin-key', K, '--pin', '654321'])
    expect(unblock.out).toContain('Administrator authentication successful')
    expect(
      await apdus(1, [
        SELECT,
        '00 CB 3F FF 04 5C 02 7F 71 00',
        '00 20 00 80 06 36 35 34 33 32 31',
        '00 20 00 80',
      ]),
    ).toEqual(['9000', '9000', '9000', '9000'])

    const change = await run('gids-tool', ['-r', '1', '-C', '--admin-key', K, '--new-admin-key', NEW_K])
    expect(change.out).not.toMatch(/failed/i)
    // A second mutual authentication, with the new key, succeeds; the old key fails.
    const withNew = await run('gids-tool', ['-r', '1', '-U', '--admin-key', NEW_K, '--pin', '111111'])
    expect(withNew.out).toContain('Administrator authentication successful')
    const withOld = await run('gids-tool', ['-r', '1', '-U', '--admin-key', K, '--pin', '222222'])
    expect(withOld.out).not.toContain('Administrator authentication successful')
    expect(withOld.out).toMatch(/Security status not satisfied/)
    expect(await apdus(1, [SELECT, '00 20 00 80 06 31 31 31 31 31 31'])).toEqual(['9000', '9000'])

    // gids-tool refuses to initialise it again: the master file now starts with 01 (§8.2 step 1).
    const again = await run('gids-tool', [
      '-r',
      '1',
      '-X',
      '--admin-key',
      K,
      '--pin',
      '123456',
      '--serial-number',
      SERIAL,
    ])
    expect(again.out).toMatch(/failed/i)
    expect((JSON.parse(readFileSync(state, 'utf8')) as { adminKey: string }).adminKey).toBe(NEW_K)
  }, 90_000) // ~12 OpenSC runs at ~1.5 s each without quickack (pcsc-lab.md §4)

  it('remove/insert through the helper is seen by PC/SC; the card keeps its state (--state)', async () => {
    const state = join(dir, 'kept.json')
    const c = await card({ slot: 0, state, pin: '24682468' })
    expect(await apdus(0, [SELECT, '00 20 00 80 04 30 30 30 30'])).toEqual(['9000', '63c2'])
    await c.remove()
    // PC/SC notices a removal at vpcd's next 400 ms poll (pcsc-lab.md §4); poll it, bounded in time.
    let listed = ''
    for (const until = Date.now() + 3000; Date.now() < until && !/0\s+No\s+Virtual PCD 00 00/.test(listed);) {
      listed = (await run('opensc-tool', ['-l'])).out
    }
    expect(listed).toMatch(/0\s+No\s+Virtual PCD 00 00/)
    await c.insert()
    await c.waitPresent()
    expect(await apdus(0, [SELECT, '00 CB 3F FF 04 5C 02 7F 71 00'])).toEqual(['9000', '9000'])
    await c.kill()
    const revived = await card({ slot: 0, state })
    expect(revived.output()).toContain('loaded from')
    // The try counter survived removal and the process restart: the next failure leaves 1.
    const right = '00 20 00 80 08 32 34 36 38 32 34 36 38'
    expect(await apdus(0, [SELECT, '00 20 00 80 04 30 30 30 30', right])).toEqual(['9000', '63c1', '9000'])
  }, 60_000)

  it('OpenSC PKCS#11 generates an RSA-2048 key on the card, signs and decrypts with it (§9)', async () => {
    const module = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'].find(
      existsSync,
    )
    expect(module, 'opensc-pkcs11.so not found').toBeDefined()
    const p11 = (...args: string[]) => run('pkcs11-tool', ['--module', module!, '--slot-index', '0', ...args])
    const login = ['--login', '--pin', '12345678']
    await card({ slot: 0 })
    const gen = await p11(...login, '--keypairgen', '--key-type', 'rsa:2048', '--label', 'k1')
    expect(gen.out).toContain('Public Key Object; RSA 2048 bits')
    // The GIDS emulation numbers keys by container index: the first key is ID 00 (key reference 81).
    const listed = await run('pkcs15-tool', ['-r', '0', '--list-keys'])
    expect(listed.out).toMatch(/Key ref\s+: 129 \(0x81\)/)
    const msg = join(dir, 'msg.txt')
    writeFileSync(msg, 'enrollment request')
    const sig = join(dir, 'sig.bin')
    const pub = join(dir, 'pub.der')
    await p11(...login, '--sign', '--mechanism', 'SHA256-RSA-PKCS', '--id', '00', '-i', msg, '-o', sig)
    await p11('--read-object', '--type', 'pubkey', '--id', '00', '-o', pub)
    const key = createPublicKey({ key: readFileSync(pub), format: 'der', type: 'spki' })
    expect(verify('sha256', readFileSync(msg), key, readFileSync(sig))).toBe(true)
    const enc = join(dir, 'enc.bin')
    writeFileSync(
      enc,
      publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('session secret')),
    )
    const dec = await p11(...login, '--decrypt', '--mechanism', 'RSA-PKCS', '--id', '00', '-i', enc)
    expect(dec.out).toContain('session secret')
  }, 120_000)
})
