import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../../electron/simulator/card/cli-args'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { loadStateFile, saveStateFile } from '../../../electron/simulator/card/state-file'

describe('virtual-card CLI arguments', () => {
  it('has safe defaults', () => {
    expect(parseCliArgs([])).toMatchObject({
      slot: 0,
      port: null,
      host: '127.0.0.1',
      cardid: null,
      adminKey: null,
      pin: null,
      blank: false,
      insert: true,
      exitOnEof: false,
    })
  })

  it('reads a GUID cardid in the .NET layout (OQ-19) and 32 hex digits in card order', () => {
    const guid = parseCliArgs(['--cardid', '{bc88f13f-83ba-4f1c-9a2b-0123456789ab}']).cardid
    expect(guid?.toString('hex')).toBe('3ff188bcba831c4f9a2b0123456789ab')
    const raw = parseCliArgs(['--cardid', '00112233445566778899AABBCCDDEEFF']).cardid
    expect(raw?.toString('hex')).toBe('00112233445566778899aabbccddeeff')
  })

  it('parses every option', () => {
    const o = parseCliArgs([
      '--slot',
      '1',
      '--port',
      '40000',
      '--admin-key',
      '00'.repeat(24),
      '--pin',
      '123456',
      '--blank',
      '--state',
      's.json',
      '--atr',
      '3B00',
      '--pin-max-length',
      '127',
      '--admin-try-limit',
      '5',
      '--no-insert',
      '--exit-on-eof',
      '--verbose',
    ])
    expect(o).toMatchObject({
      slot: 1,
      port: 40000,
      pin: '123456',
      blank: true,
      statePath: 's.json',
      atr: '3b00',
      pinMaxLength: 127,
      adminTryLimit: 5,
      insert: false,
      exitOnEof: true,
      verbose: true,
    })
    expect(o.adminKey?.length).toBe(24)
  })

  it.each([
    [['--slot', '2'], /--slot/],
    [['--admin-key', 'abcd'], /--admin-key/],
    [['--cardid', 'nope'], /--cardid/],
    [['--pin', '123'], /--pin/],
    [['--pin', 'x'.repeat(17)], /--pin/],
    [['--atr', 'xyz'], /--atr/],
    [['--bogus'], /bogus/],
  ])('rejects %j', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message)
  })
})

describe('virtual-card state file', () => {
  it('round-trips the card, owner-only, and returns null when absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcard-state-'))
    try {
      const path = join(dir, 'card.json')
      expect(loadStateFile(path)).toBeNull()
      const card = GidsCard.personalised()
      saveStateFile(path, card.snapshot())
      expect(statSync(path).mode & 0o777).toBe(0o600)
      const loaded = loadStateFile(path)!
      expect(new GidsCard(loaded).cardId?.equals(card.cardId!)).toBe(true)
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(card.snapshot())
      writeFileSync(path, '{"version":2}')
      expect(() => loadStateFile(path)).toThrow(/invalid card state/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
