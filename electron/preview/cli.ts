/**
 * `npm run preview`: the station in a browser, for machines without Electron. Starts the main-side
 * services in Node, serves the built renderer and bridges window.station over a loopback WebSocket.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError } from '../services/config'
import { describeConfigOrigins, loadConfigWithOrigins } from '../services/config-load'
import { createFileLogger } from '../services/log-file'
import { defaultDataDir } from '../services/journal/paths'
import { createStation } from '../station/station'
import { startPreviewHost } from './server'

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..')
  const rendererDir = join(root, 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('the renderer is not built: run `npm run build` (npm run preview does it for you)')
  }
  const loaded = await loadConfigWithOrigins()
  const { config } = loaded
  // The rolling file in <dataDir>/logs, and stderr (the preview runs in a terminal).
  const log = await createFileLogger({
    dataDir: config.dataDir ?? defaultDataDir(),
    level: config.logLevel,
    stderr: true,
  })
  log.info('config: loaded', describeConfigOrigins(loaded))
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version
  // The directory service account's password: taken from the environment once, then removed from it so no child
  // process inherits it (the app keeps it encrypted with safeStorage instead).
  const directoryPassword = process.env.STATION_DIRECTORY_PASSWORD ?? null
  delete process.env.STATION_DIRECTORY_PASSWORD
  const station = await createStation({
    config,
    log,
    host: 'preview',
    version,
    directoryPassword: async () => directoryPassword,
  })
  const portArg = process.argv.indexOf('--port')
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.STATION_PREVIEW_PORT ?? 0)
  const host = await startPreviewHost({ router: station.router, bus: station.bus, log, rendererDir, port })
  process.stdout.write(
    `\nCM Enrollment Station preview${station.info.trainingMode ? ' (training mode)' : ''}:\n\n  ${host.url}\n\n` +
      'Open this URL in Chromium or Chrome. It contains a per-run token; without it the page is refused.\n' +
      'Press Ctrl+C to stop.\n',
  )
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await host.close()
    await station.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error (${error.source}):\n  ${error.issues.join('\n  ')}\n`)
    process.exit(2)
  }
  process.stderr.write(`preview failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
