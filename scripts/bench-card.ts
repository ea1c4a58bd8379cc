/**
 * `npm run bench`: card-edge figures over the real PC/SC lab (pcscd + vpcd + the virtual card as a
 * separate process + the CM simulator): APDU round trip (many samples, median/p95), connect, the edge
 * operations, the full CM admin sequence, and on-card RSA-2048 key generation + card-signed PKCS#10. Runs twice — default loopback, then inside a private
 * network namespace with quickack routes (pcsc-lab.md §4, "40 ms per APDU") — and prints both.
 * Not a timed test. It starts pcscd, so it takes /tmp/pcsc-lab.lock itself (re-executing under
 * `flock`) unless an ancestor process already holds it.
 *
 *   npm run bench [-- --samples 200 --rounds 5]
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createLocalResponder } from '../electron/services/card/local-responder'
import { zeroize } from '../electron/services/crypto/des'
import { createMemoryLogger } from '../electron/services/log'
import { buildCertificationRequest } from '../electron/services/pki/csr'
import { digest } from '../electron/services/pki/digest-info'
import { startCmSimulator } from '../electron/simulator/cm/index'
import { LAB, quickackAvailable, quickackWrap, startLab, stopLab } from '../tests/lab/pcsc-lab'
import { spawnVirtualCard } from '../tests/lab/virtual-card-process'
import { bindCard, cmResponder, diversifiedKey } from '../tests/lab/cm-sim-responder'
import { startPcscHarness } from '../tests/lab/pcsc-harness'

const LOCK = '/tmp/pcsc-lab.lock'
const READER = LAB.readers[0]
/** The docs scenario (cm-rest-api.md §6): template with K0 = zero, DiversifyAdminKey, FX-E14-1 Kd override. */
const TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3'
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const RESULT_TAG = 'BENCH_RESULT '

/** Summary of a sample set, in milliseconds. */
export interface Stats {
  n: number
  median: number
  p95: number
  min: number
  max: number
}

/** What one run (one network mode) measured. */
export interface RunResult {
  mode: 'default' | 'quickack'
  apdu: Stats
  connect: Stats
  /** First job after pcscd's ~0.5 s idle power-off: SCardConnect powers the card on again. */
  coldConnect: Stats
  identify: Stats
  pinStatus: Stats
  verifyPin: Stats
  /** changeAdminKey (E15 diversified=false) + setUserPin (E15 diversified=true) + verifyPin. */
  adminSequence: Stats
  /** One-time: identify + POST /requests + POST /smartcards + diversifiedkey. */
  bindMs: number
  /** On-card RSA-2048 key generation (container + key file + GENERATE + public key read), PIN verified. */
  keyGen: Stats
  /** A PKCS#10 built around that key and signed by the card (SHA-256 DigestInfo, PSO). */
  csrSign: Stats
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
  const r = (v: number) => Math.round(v * 1000) / 1000
  return { n: s.length, median: r(at(0.5)), p95: r(at(0.95)), min: r(s[0]!), max: r(s[s.length - 1]!) }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const value = await fn()
  return [value, performance.now() - t0]
}

async function repeat(n: number, fn: () => Promise<unknown>): Promise<Stats> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await timed(fn))[1])
  return stats(out)
}

/** One measurement run in the current network namespace: starts and stops everything it needs. */
async function measure(mode: RunResult['mode'], samples: number, rounds: number): Promise<RunResult> {
  await startLab()
  const cleanup: Array<() => Promise<unknown>> = [() => stopLab()]
  try {
    const sim = await startCmSimulator({ scenario: 'docs', defaultUser: 'CORP\\jdoe' })
    cleanup.unshift(() => sim.close())
    const h = await startPcscHarness({ log: createMemoryLogger() })
    cleanup.unshift(() => h.close())
    const card = await spawnVirtualCard({ slot: 0, cardid: CARDID, insert: false })
    cleanup.unshift(() => card.kill())
    await card.insert()
    await h.waitPresent(READER)
    const { edge, service } = h

    // APDU round trip: one job, back-to-back GET DATA 7F71 (card stays connected and powered).
    const getPinStatus = Buffer.from('00cb3fff045c027f7100', 'hex')
    const apduTimes: number[] = []
    await service.withCard(READER, async (ch) => {
      await ch.transmit(Buffer.from('00a4040009a0000003974254465900', 'hex'))
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now()
        const r = await ch.transmit(getPinStatus)
        apduTimes.push(performance.now() - t0)
        if (r.readUInt16BE(r.length - 2) !== 0x9000) throw new Error('GET DATA 7F71 failed')
      }
    })
    const connect = await repeat(10, () => service.withCard(READER, async () => undefined))
    const cold: number[] = []
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 800)) // > pcscd's idle power-off (pcsc-lab.md §2b)
      cold.push((await timed(() => service.withCard(READER, async () => undefined)))[1])
    }
    const identify = await repeat(10, () => edge.identify(READER))
    const pinStatus = await repeat(10, () => edge.pinStatus(READER))
    const verifyPin = await repeat(10, () => edge.verifyPin(READER, '12345678'))

    // One-time CM part of the walkthrough: cardid, bind, Kd.
    const api = `${sim.appRoot}/api/v1.0`
    const [ids, bindMs] = await timed(async () => {
      const id = await edge.identify(READER)
      const bound = await bindCard(api, { template: TEMPLATE, cardId: id.cardId!, atr: id.atr })
      return { ...bound, cardId: id.cardId! }
    })
    const [kd, kdMs] = await timed(() => diversifiedKey(api, ids))
    const admin: number[] = []
    for (let i = 0; i < rounds; i++) {
      const [, ms] = await timed(async () => {
        await edge.changeAdminKey(READER, {
          respond: cmResponder(api, ids, false),
          newKey: kd,
          expectCardId: CARDID,
        })
        await edge.setUserPin(READER, {
          respond: cmResponder(api, ids, true),
          pin: '80706050',
          expectCardId: CARDID,
        })
        await edge.verifyPin(READER, '80706050')
      })
      admin.push(ms)
      // Untimed: back to K0 and the old PIN for the next round.
      const local = createLocalResponder(kd)
      await edge.changeAdminKey(READER, { respond: local.respond, newKey: Buffer.alloc(24) })
      local.dispose()
      await edge.setUserPin(READER, {
        respond: createLocalResponder(Buffer.alloc(24)).respond,
        pin: '12345678',
      })
    }
    zeroize(kd)

    // Certificates on the badge: on-card RSA-2048 key generation and the card-signed PKCS#10 (one PIN job each round).
    const keyGen: number[] = []
    const csrSign: number[] = []
    for (let i = 0; i < rounds; i++) {
      await edge.withUserPin(READER, { pin: '12345678' }, async (session) => {
        const [key, genMs] = await timed(() => session.generateKey({ bits: 2048, usage: 'key-exchange' }))
        keyGen.push(genMs)
        const [, signMs] = await timed(() =>
          buildCertificationRequest(
            { publicKey: key.publicKey, subject: '', hash: 'SHA256', keyUsages: 3 },
            (tbs) => session.signDigest(key.container, 'SHA256', digest('SHA256', tbs)),
          ),
        )
        csrSign.push(signMs)
      })
    }
    return {
      mode,
      apdu: stats(apduTimes),
      connect,
      coldConnect: stats(cold),
      identify,
      pinStatus,
      verifyPin,
      adminSequence: stats(admin),
      bindMs: Math.round(bindMs + kdMs),
      keyGen: stats(keyGen),
      csrSign: stats(csrSign),
    }
  } finally {
    for (const step of cleanup) await step().catch(() => undefined)
  }
}

/** True if an ancestor process is `flock … /tmp/pcsc-lab.lock …` (the caller already holds the lab lock). */
function lockHeldByAncestor(): boolean {
  let pid = process.ppid
  for (let depth = 0; pid > 1 && depth < 32; depth++) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (cmd.some((a) => a.endsWith('flock')) && cmd.includes(LOCK)) return true
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    } catch {
      return false
    }
  }
  return false
}

/** One card-edge measurement run in a child process (`quickack` inside a private netns); the caller holds the lab lock. */
export function runInner(mode: RunResult['mode'], passArgs: string[]): RunResult | string {
  const inner = [process.execPath, '--import', 'tsx', __filename, '--inner', mode, ...passArgs]
  const cmd = mode === 'quickack' ? quickackWrap(inner) : inner
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_TAG))
  if (r.status !== 0 || !line) return `${mode} run failed (exit ${r.status}):\n${r.stdout ?? ''}`
  return JSON.parse(line.slice(RESULT_TAG.length)) as RunResult
}

const fmt = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0)).padStart(7)
const row = (name: string, s: Stats) =>
  `  ${name.padEnd(40)}${fmt(s.median)}${fmt(s.p95)}${fmt(s.min)}${fmt(s.max)}   n=${s.n}`

function report(r: RunResult): string {
  return [
    `${r.mode === 'quickack' ? 'QUICKACK (private netns, loopback routes quickack 1)' : 'DEFAULT loopback'}`,
    `  ${'ms'.padEnd(40)}${'median'.padStart(7)}${'p95'.padStart(7)}${'min'.padStart(7)}${'max'.padStart(7)}`,
    row('APDU round trip (GET DATA 7F71)', r.apdu),
    row('connect + disconnect (empty job, powered)', r.connect),
    row('same after 0.8 s idle (card powered off)', r.coldConnect),
    row('identify (3 APDUs)', r.identify),
    row('pin-status (2 APDUs)', r.pinStatus),
    row('verify PIN (3 APDUs)', r.verifyPin),
    row('admin sequence (2 jobs, 2×E15, + verify)', r.adminSequence),
    row('RSA-2048 key generated on the card', r.keyGen),
    row('PKCS#10 signed by the card (SHA-256)', r.csrSign),
    `  one-time identify + bind + diversifiedkey: ${r.bindMs} ms`,
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`)
    const v = i >= 0 ? Number(argv[i + 1]) : def
    return Number.isInteger(v) && v > 0 ? v : def
  }
  const samples = opt('samples', 200)
  const rounds = opt('rounds', 5)
  const pass = ['--samples', String(samples), '--rounds', String(rounds)]
  const innerAt = argv.indexOf('--inner')
  if (innerAt >= 0) {
    const mode = argv[innerAt + 1] === 'quickack' ? 'quickack' : 'default'
    const result = await measure(mode, samples, rounds)
    process.stdout.write(RESULT_TAG + JSON.stringify(result) + '\n')
    return 0
  }
  if (!lockHeldByAncestor()) {
    // pcscd is one per machine (helper brief): run the whole bench under the lab lock.
    const r = spawnSync('flock', [LOCK, process.execPath, '--import', 'tsx', __filename, ...argv], {
      stdio: 'inherit',
    })
    return r.status ?? 1
  }
  console.log(`card-edge bench: ${samples} APDU samples, ${rounds} admin-sequence rounds per mode\n`)
  const results: RunResult[] = []
  for (const mode of ['default', 'quickack'] as const) {
    if (mode === 'quickack' && !quickackAvailable()) {
      console.log('QUICKACK: skipped (needs root and unshare -n / ip route)')
      continue
    }
    const r = runInner(mode, pass)
    if (typeof r === 'string') {
      console.error(r)
      return 1
    }
    results.push(r)
    console.log(report(r) + '\n')
  }
  const [d, q] = results
  if (d && q) {
    console.log(
      `quickack speed-up: APDU ×${(d.apdu.median / q.apdu.median).toFixed(0)}, ` +
        `admin sequence ×${(d.adminSequence.median / q.adminSequence.median).toFixed(1)}`,
    )
  }
  return 0
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
      process.exit(1)
    },
  )
}
