/**
 * Child of the idle-cost bench (issue "Measured, not assumed" §5): the station's main-side services (real pcsclite
 * over the lab's pcscd with its two vpcd readers, a CM server configured — the simulator process — so no training
 * readers) started, then left alone. Prints one JSON line: CPU seconds (user + system) per minute and the resident
 * memory after `--seconds` of doing nothing, measured inside this process only.
 *
 *   node --import tsx scripts/bench/idle-station.ts --app-root <url> --seconds 120
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseConfig } from '../../electron/services/config'
import { createLogger } from '../../electron/services/log'
import { createStation } from '../../electron/station/station'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'app-root': { type: 'string' }, seconds: { type: 'string', default: '120' } },
  })
  const seconds = Number(values.seconds)
  const station = await createStation({
    config: parseConfig({
      cm: { appRoot: values['app-root']! },
      dataDir: mkdtempSync(join(tmpdir(), 'idle-')),
    }),
    log: createLogger(() => undefined, 'error'),
    host: 'preview',
    version: 'bench',
  })
  // Let the readers be listed and the card identified before measuring.
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && !station.readers.snapshot().readers.some((r) => r.present)) {
    await new Promise((r) => setTimeout(r, 100))
  }
  const readers = station.readers.snapshot().readers
  // Start-up work (module loading and compilation, the first card identification, GC) settles within seconds;
  // the idle figure is what follows.
  await new Promise((r) => setTimeout(r, 15_000))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const cpu = process.cpuUsage(cpu0)
  const minutes = (performance.now() - t0) / 60_000
  const result = {
    readers: readers.length,
    present: readers.filter((r) => r.present).length,
    seconds,
    cpuSecondsPerMinute: (cpu.user + cpu.system) / 1e6 / minutes,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
  }
  await station.close()
  process.stdout.write(`IDLE_RESULT ${JSON.stringify(result)}\n`)
  process.exit(0)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
