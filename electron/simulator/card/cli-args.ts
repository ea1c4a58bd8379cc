import { parseArgs } from 'node:util'
import { guidToCardId, isGuid } from '../../services/card/cardid'

/** Usage text of `npm run virtual-card`. */
export const USAGE = `npm run virtual-card -- [options]
  --slot 0|1            vpcd slot: reader "Virtual PCD 00 0<slot>", TCP 35963+slot (default 0)
  --port N / --host H   connect elsewhere (default 127.0.0.1:35963+slot)
  --cardid ID           GUID text ({…} ok; .NET Guid(byte[]) layout, OQ-19) or 32 hex digits in card order
  --admin-key HEX       24-byte 3DES admin key, 48 hex digits (default: all zero = CM's empty default)
  --pin PIN             user PIN (default 12345678)
  --blank               blank card in the initialisation state (for gids-tool -X)
  --state FILE          load the card from FILE if it exists, else create it there; saved after every change
  --atr HEX             ATR (default 3b8d0180fba000000397425446590301c8)
  --pin-max-length N    up to 127 to mimic a TPM VSC (default 16)
  --admin-try-limit N   count failed admin authentications (default: no counter)
  --no-insert           start with the card out of the reader
  --exit-on-eof         exit when stdin closes (used by the test helper so no card outlives its test)
  --verbose             debug logs (APDU headers and status words, never data) on stderr
stdin: insert | remove | status | quit     signals: SIGUSR1 remove, SIGUSR2 insert, SIGTERM/SIGINT exit`

/** Parsed command line of the virtual-card CLI. */
export interface CliOptions {
  slot: number
  port: number | null
  host: string
  cardid: Buffer | null
  adminKey: Buffer | null
  pin: string | null
  blank: boolean
  statePath: string | null
  atr: string | null
  pinMaxLength: number | null
  adminTryLimit: number | null
  insert: boolean
  exitOnEof: boolean
  verbose: boolean
  help: boolean
}

const hexOf = (value: string, bytes: number | null, what: string): string => {
  const v = value.replace(/[\s:]/g, '').toLowerCase()
  if (!/^(?:[0-9a-f]{2})+$/.test(v) || (bytes !== null && v.length !== bytes * 2)) {
    throw new RangeError(`${what} must be ${bytes === null ? 'hex' : `${bytes * 2} hex digits`}`)
  }
  return v
}

const intOf = (value: string | undefined, min: number, max: number, what: string): number | null => {
  if (value === undefined) return null
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what} must be ${min}–${max}`)
  return n
}

/** Parse argv (without node and script). Throws RangeError with a message for the user. */
export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      slot: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      cardid: { type: 'string' },
      'admin-key': { type: 'string' },
      pin: { type: 'string' },
      blank: { type: 'boolean' },
      state: { type: 'string' },
      atr: { type: 'string' },
      'pin-max-length': { type: 'string' },
      'admin-try-limit': { type: 'string' },
      'no-insert': { type: 'boolean' },
      'exit-on-eof': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  let cardid: Buffer | null = null
  if (values.cardid !== undefined) {
    cardid = isGuid(values.cardid)
      ? guidToCardId(values.cardid)
      : Buffer.from(hexOf(values.cardid, 16, '--cardid (not a GUID)'), 'hex')
  }
  const pinMaxLength = intOf(values['pin-max-length'], 4, 127, '--pin-max-length')
  const pin = values.pin ?? null
  if (pin !== null && (pin.length < 4 || Buffer.byteLength(pin) > (pinMaxLength ?? 16))) {
    throw new RangeError(`--pin must be 4–${pinMaxLength ?? 16} bytes`)
  }
  return {
    slot: intOf(values.slot, 0, 1, '--slot') ?? 0,
    port: intOf(values.port, 1, 65535, '--port'),
    host: values.host ?? '127.0.0.1',
    cardid,
    adminKey:
      values['admin-key'] === undefined
        ? null
        : Buffer.from(hexOf(values['admin-key'], 24, '--admin-key'), 'hex'),
    pin,
    blank: values.blank ?? false,
    statePath: values.state ?? null,
    atr: values.atr === undefined ? null : hexOf(values.atr, null, '--atr'),
    pinMaxLength,
    adminTryLimit: intOf(values['admin-try-limit'], 1, 15, '--admin-try-limit'),
    insert: !(values['no-insert'] ?? false),
    exitOnEof: values['exit-on-eof'] ?? false,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  }
}
