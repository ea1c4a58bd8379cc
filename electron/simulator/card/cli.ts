/**
 * `npm run virtual-card -- --slot 0|1 [--cardid GUID] [--admin-key HEX] [--pin PIN] [--blank]
 * [--state file.json] [--atr HEX]`: a virtual GIDS card plugged into the lab's vpcd reader
 * (pcsc-lab.md §2b). Prints one line per event on stdout (`EVENT …`, `OK <command>`), so tests can
 * drive it over stdin (tests/lab/virtual-card-process.ts). Secrets are never printed: the admin key
 * is identified by its key check value only.
 */
import { createInterface } from 'node:readline'
import { cardIdToGuid } from '../../services/card/cardid'
import { keyCheckValue } from '../../services/crypto/des'
import { createLogger } from '../../services/log'
import { parseCliArgs, USAGE } from './cli-args'
import type { CliOptions } from './cli-args'
import { GidsCard } from './gids-card'
import type { GidsCardOptions } from './gids-card'
import { loadStateFile, saveStateFile } from './state-file'
import { VpcdCard } from './vpcd-client'
import type { VpcdEvent } from './vpcd-client'

const out = (line: string): void => {
  process.stdout.write(line + '\n')
}

function buildCard(o: CliOptions, base: GidsCardOptions): { card: GidsCard; origin: string } {
  const saved = o.statePath ? loadStateFile(o.statePath) : null
  const persist = o.statePath
    ? {
        onChange: (s: Parameters<NonNullable<GidsCardOptions['onChange']>>[0]) =>
          saveStateFile(o.statePath!, s),
      }
    : {}
  if (saved) {
    if (o.cardid || o.adminKey || o.pin || o.blank) {
      process.stderr.write('virtual-card: --state file exists; --cardid/--admin-key/--pin/--blank ignored\n')
    }
    return { card: new GidsCard(saved, { ...base, ...persist }), origin: `loaded from ${o.statePath}` }
  }
  const shared = {
    ...base,
    ...(o.atr !== null && { atr: o.atr }),
    ...(o.pinMaxLength !== null && { pinMaxLength: o.pinMaxLength }),
  }
  const card = o.blank
    ? GidsCard.blank(shared)
    : GidsCard.personalised({
        ...shared,
        ...(o.cardid && { cardid: o.cardid }),
        ...(o.adminKey && { adminKey: o.adminKey }),
        ...(o.pin !== null && { pin: o.pin }),
        adminTryLimit: o.adminTryLimit,
      })
  if (o.statePath) {
    saveStateFile(o.statePath, card.snapshot())
    return {
      card: new GidsCard(card.snapshot(), { ...base, ...persist }),
      origin: `new, saved to ${o.statePath}`,
    }
  }
  return { card, origin: 'new' }
}

function describe(card: GidsCard, o: CliOptions, port: number, origin: string): string {
  const id = card.cardId
  const state = card.snapshot()
  const key = state.adminKey ? keyCheckValue(Buffer.from(state.adminKey, 'hex')).toString('hex') : 'none'
  return [
    `virtual GIDS card (${origin}): slot ${o.slot} → ${o.host}:${port} (reader "Virtual PCD 00 0${o.slot}")`,
    `  life cycle ${card.lifeCycle}, ATR ${state.atr}`,
    `  cardid ${id ? `${id.toString('hex')} = GUID {${cardIdToGuid(id)}}` : 'none (blank)'}`,
    `  admin key KCV ${key}, PIN ${state.pin.value ? 'set' : 'not set'}, tries ${state.pin.triesLeft}/${state.pin.limit}`,
  ].join('\n')
}

function eventLine(e: VpcdEvent): string {
  switch (e.type) {
    case 'connected':
    case 'present':
      return `EVENT ${e.type}`
    case 'power':
      return `EVENT power ${e.reset ? 'reset' : e.on ? 'on' : 'off'}`
    case 'removed':
      return `EVENT removed ${e.byPeer ? 'by-peer' : 'by-user'}`
  }
}

async function main(): Promise<void> {
  let o: CliOptions
  try {
    o = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`virtual-card: ${(error as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
  if (o.help) {
    out(USAGE)
    return
  }
  const logger = createLogger(undefined, o.verbose ? 'debug' : 'warn')
  const { card, origin } = buildCard(o, { logger })
  const vpcd = new VpcdCard({
    card,
    slot: o.slot,
    ...(o.port !== null && { port: o.port }),
    host: o.host,
    logger,
    reconnectMs: 250,
    onEvent: (e) => out(eventLine(e)),
  })
  out(describe(card, o, vpcd.port, origin))

  let exiting = false
  const exit = async (code: number) => {
    if (exiting) return
    exiting = true
    await vpcd.remove()
    out('EVENT exit')
    process.exit(code)
  }
  const command = async (cmd: string) => {
    switch (cmd) {
      case 'insert':
        await vpcd.insert()
        return out('OK insert')
      case 'remove':
        await vpcd.remove()
        return out('OK remove')
      case 'status':
        return out(`OK status ${vpcd.inserted ? 'inserted' : 'removed'} tries ${card.pinTriesLeft}`)
      case 'quit':
      case 'exit':
        return exit(0)
      case '':
        return
      default:
        out(`ERR unknown command ${cmd.slice(0, 32)}`)
    }
  }
  // Commands run one after another, in arrival order.
  let queue = Promise.resolve()
  const enqueue = (cmd: string) =>
    (queue = queue.then(() => command(cmd)).catch((e: Error) => out(`ERR ${e.message}`)))

  process.on('SIGUSR1', () => enqueue('remove'))
  process.on('SIGUSR2', () => enqueue('insert'))
  process.on('SIGTERM', () => void exit(0))
  process.on('SIGINT', () => void exit(0))
  const rl = createInterface({ input: process.stdin })
  rl.on('line', (line) => enqueue(line.trim().toLowerCase()))
  rl.on('close', () => {
    if (o.exitOnEof) void queue.then(() => exit(0))
  })
  out('READY')
  if (o.insert) enqueue('insert')
}

void main().catch((error: unknown) => {
  process.stderr.write(`virtual-card: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
