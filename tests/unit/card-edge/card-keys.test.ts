import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseCmapfile, parseKeymap } from '../../../electron/services/card/gids-containers'
import { DIGEST_ALGORITHMS, digest } from '../../../electron/services/pki/digest-info'
import { CARDID_GUID, READER, setup } from './edge-helpers'
import { PIN, cardDo, cardcf, modulusBits, verifies } from './key-helpers'

/**
 * Keys on the card through the station's card edge, against the in-process virtual GIDS card
 * (gids-card-edge.md §9): generate, sign, container bookkeeping, PIN handling of the user-key job.
 */

const MESSAGE = Buffer.from('PKCS#10 request body to be signed')

describe.each([1024, 2048] as const)('RSA %i on the card', (bits) => {
  it('generates a key-exchange key and signs with every hash; node:crypto verifies each signature', async () => {
    const { edge, access } = setup()
    const { key, signatures } = await edge.withUserPin(READER, { pin: PIN }, async (session) => {
      const key = await session.generateKey({ bits, usage: 'key-exchange', containerName: `k${bits}` })
      const signatures = []
      for (const algorithm of DIGEST_ALGORITHMS)
        signatures.push({
          algorithm,
          sig: await session.signDigest(0, algorithm, digest(algorithm, MESSAGE)),
        })
      return { key, signatures }
    })
    expect(key).toMatchObject({ container: 0, keyRef: 0x81, bits, usage: 'key-exchange', name: `k${bits}` })
    expect(modulusBits(key.publicKey)).toBe(bits)
    for (const { algorithm, sig } of signatures) {
      expect(sig.length, algorithm).toBe(bits / 8)
      expect(verifies(key.publicKey, algorithm, MESSAGE, sig), algorithm).toBe(true)
      expect(verifies(key.publicKey, algorithm, Buffer.from('another message'), sig), algorithm).toBe(false)
    }
    // One short job: SELECT first, VERIFY, …, MSE 41 B6 with 5x (card pads) + PSO 9E 9A, logout last.
    expect(access.jobs).toBe(1)
    const headers = access.headers()
    expect(headers[0]).toBe('00a40400')
    expect(headers[1]).toBe('00200080')
    expect(headers.at(-1)).toBe('00200082')
    const alg = bits === 1024 ? '56' : '57'
    expect(access.sent).toContain(`002241b6068001${alg}840181`)
    expect(access.sent.filter((a) => a.startsWith('002a9e9a'))).toHaveLength(4)
    // GENERATE as OpenSC sends it: no Le (§9.3).
    expect(access.sent).toContain(`0047000008ac068001${alg === '56' ? '06' : '07'}830181`)
  })

  it('creates a signature-only key whose key file refuses decipher (§9.2)', async () => {
    const { edge, card } = setup()
    const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
      s.generateKey({ bits, usage: 'signature' }),
    )
    expect(key.usage).toBe('signature')
    // Default container name: a GUID text, as Windows writes it (§9.4).
    expect(key.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const record = parseCmapfile(cardDo(card, 0xa010, 0xdf23)!)[0]!
    expect(record).toMatchObject({ sigBits: bits, keyExchangeBits: 0, valid: true, isDefault: true })
    card.process(Buffer.from(`0020008008${Buffer.from(PIN).toString('hex')}`, 'hex'))
    const alg = bits === 1024 ? 6 : 7
    expect(
      card.process(Buffer.from(`002241b8068001${(0x40 | alg).toString(16)}840181`, 'hex')).toString('hex'),
    ).toBe('6984')
  })
})

describe('container bookkeeping (cmapfile, keymap, cardcf, master file; §4.5, §9.4)', () => {
  it('after 1, 2 and 3 containers; the third cmapfile write passes 255 bytes and is chained', async () => {
    const { edge, card, access } = setup()
    const masterBefore = cardDo(card, 0xa000, 0xdf1f)!
    const specs = [
      { bits: 1024, usage: 'key-exchange', containerName: 'first' },
      { bits: 1024, usage: 'key-exchange', containerName: 'zweiter Schlüssel' },
      { bits: 1024, usage: 'signature', containerName: 'third-container-name-of-39-characters.' },
    ] as const
    for (const [n, spec] of specs.entries()) {
      access.sent.length = 0
      const key = await edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey(spec))
      expect(key).toMatchObject({ container: n, keyRef: 0x81 + n, name: spec.containerName })
      const count = n + 1
      const raw = cardDo(card, 0xa010, 0xdf23)!
      expect(raw.length).toBe(86 * count)
      // Name: UTF-16LE, zero-filled to 80 bytes; flags 03 for the first (default + valid), 01 after.
      expect(
        raw
          .subarray(86 * n, 86 * n + 80)
          .toString('utf16le')
          .replace(/\0+$/, ''),
      ).toBe(spec.containerName)
      expect(parseCmapfile(raw).map((r) => [r.valid, r.isDefault, r.sigBits, r.keyExchangeBits])).toEqual(
        specs
          .slice(0, count)
          .map((s, i) => [
            true,
            i === 0,
            s.usage === 'signature' ? 1024 : 0,
            s.usage === 'key-exchange' ? 1024 : 0,
          ]),
      )
      // keymap: 01 + one 12-byte record per container: used, alg 06, 9A/9C, B0kid LE, FFFF, 0000.
      const keymap = cardDo(card, 0xa000, 0xdf20)!
      expect(keymap[0]).toBe(1)
      expect(parseKeymap(keymap).map((r) => r.toString('hex'))).toEqual(
        specs
          .slice(0, count)
          .map(
            (s, i) =>
              `0100000006${s.usage === 'signature' ? '9c' : '9a'}${(0x81 + i).toString(16)}b0ffff0000`,
          ),
      )
      // cardcf: one container change and two file writes (reserve, then valid) per key.
      expect(cardcf(card)).toEqual({ containers: count, files: 2 * count })
      expect(cardDo(card, 0xa000, 0xdf1f)!.equals(masterBefore)).toBe(true)
      const chained = access.sent.filter((a) => a.startsWith('10dba010'))
      expect(chained.length, `container ${count}`).toBe(count === 3 ? 2 : 0) // reserve + final write
    }
    // The station and the OpenSC-style reader agree on what is there.
    const listed = await edge.listContainers(READER)
    expect(listed.map((c) => [c.index, c.name, c.usage, c.bits, c.keyRef, c.isDefault])).toEqual([
      [0, 'first', 'key-exchange', 1024, 0x81, true],
      [1, 'zweiter Schlüssel', 'key-exchange', 1024, 0x82, false],
      [2, 'third-container-name-of-39-characters.', 'signature', 1024, 0x83, false],
    ])
    expect(listed.every((c) => c.publicKey !== null && c.certificate === null)).toBe(true)
  })

  it('makeDefault moves the default flag; names must be unique and ≤ 39 characters', async () => {
    const { edge, card } = setup()
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'a' })
      await s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'b', makeDefault: true })
      await expect(
        s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'a' }),
      ).rejects.toMatchObject({
        code: 'invalid-request',
      })
      await expect(
        s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'x'.repeat(40) }),
      ).rejects.toMatchObject({ code: 'invalid-request' })
      await expect(s.generateKey({ bits: 4096 as 2048, usage: 'key-exchange' })).rejects.toMatchObject({
        code: 'invalid-request',
      })
    })
    expect(parseCmapfile(cardDo(card, 0xa010, 0xdf23)!).map((r) => r.isDefault)).toEqual([false, true])
  })

  it('reuses a free cmapfile record as OpenSC does, also when its old key file is still there', async () => {
    const { edge, card } = setup()
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'old' })
      await s.generateKey({ bits: 1024, usage: 'key-exchange', containerName: 'kept' })
    })
    const oldKey = (await edge.listContainers(READER))[0]!.publicKey!
    // Free record 0 the way OpenSC deletes a container, but leave key file B081 behind (an
    // interrupted deletion): the next key must take index 0 and replace the file (6A89 path).
    const cmap = parseCmapfile(cardDo(card, 0xa010, 0xdf23)!)
    const freed = Buffer.concat([Buffer.alloc(86), cardDo(card, 0xa010, 0xdf23)!.subarray(86)])
    expect(cmap).toHaveLength(2)
    const pin = Buffer.from(PIN).toString('hex')
    for (const apdu of [
      `0020008008${pin}`,
      `00dba010${(freed.length + 4).toString(16)}df2381${freed.length.toString(16)}${freed.toString('hex')}`,
    ])
      expect(card.process(Buffer.from(apdu, 'hex')).toString('hex')).toBe('9000')
    const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
      s.generateKey({ bits: 1024, usage: 'signature', containerName: 'new' }),
    )
    expect(key).toMatchObject({ container: 0, keyRef: 0x81 })
    expect(key.publicKey.equals(oldKey)).toBe(false)
    const listed = await edge.listContainers(READER)
    expect(listed.map((c) => [c.index, c.name, c.usage])).toEqual([
      [0, 'new', 'signature'],
      [1, 'kept', 'key-exchange'],
    ])
    expect(cardDo(card, 0xa010, 0xdf23)!.length).toBe(2 * 86) // reused, not appended
    // The replaced key file carries the signature-only templates now.
    expect(card.snapshot().files['b081']!.fcp.slice(0, 4)).toBe('6226')
  })
})

describe('withUserPin: PIN and card checks before anything runs', () => {
  it('wrong PIN → wrong-pin with tries left, then pin-blocked; the callback never runs', async () => {
    const { edge } = setup()
    let ran = 0
    const job = () => edge.withUserPin(READER, { pin: '00000000' }, async () => void ran++)
    await expect(job()).rejects.toMatchObject({ code: 'wrong-pin', info: { triesLeft: 2 } })
    await expect(job()).rejects.toMatchObject({ code: 'wrong-pin', info: { triesLeft: 1 } })
    await expect(job()).rejects.toMatchObject({ code: 'pin-blocked', info: { triesLeft: 0 } })
    await expect(edge.withUserPin(READER, { pin: PIN }, async () => void ran++)).rejects.toMatchObject({
      code: 'pin-blocked',
    })
    expect(ran).toBe(0)
  })

  it('a different card is refused with wrong-card before VERIFY: no try is spent', async () => {
    const { edge, access, card } = setup()
    await expect(
      edge.withUserPin(
        READER,
        { pin: '00000000', expectCardId: '00000000-0000-4000-8000-000000000000' },
        async () => 1,
      ),
    ).rejects.toMatchObject({ code: 'wrong-card' })
    expect(access.headers()).not.toContain('00200080')
    expect(card.pinTriesLeft).toBe(3)
    await expect(
      edge.withUserPin(READER, { pin: PIN, expectCardId: CARDID_GUID }, async () => 7),
    ).resolves.toBe(7)
  })

  it('the session dies with its job; the PIN is logged out at the end', async () => {
    const { edge, access } = setup()
    let kept: Parameters<Parameters<typeof edge.withUserPin>[2]>[0] | null = null
    await edge.withUserPin(READER, { pin: PIN }, async (s) => void (kept = s))
    expect(access.headers().at(-1)).toBe('00200082')
    await expect(kept!.listContainers()).rejects.toMatchObject({ code: 'internal' })
    // A PIN outside 4–127 bytes never reaches the card.
    await expect(edge.withUserPin(READER, { pin: '123' }, async () => 1)).rejects.toMatchObject({
      code: 'invalid-request',
    })
  })

  it('signing needs a valid container and a digest of the right length', async () => {
    const { edge } = setup()
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await expect(s.signDigest(0, 'SHA256', digest('SHA256', MESSAGE))).rejects.toMatchObject({
        code: 'invalid-request',
      })
      await s.generateKey({ bits: 1024, usage: 'signature' })
      await expect(s.signDigest(0, 'SHA256', createHash('sha1').digest())).rejects.toMatchObject({
        code: 'invalid-request',
      })
      await expect(
        s.signDigest(0, 'SHA1', createHash('sha1').update(MESSAGE).digest()),
      ).resolves.toHaveLength(128)
    })
  })
})
