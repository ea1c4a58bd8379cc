// Offline validation of electron-builder.yml with app-builder-lib's own validator (the code path
// electron-builder runs before building; toolchain.md §6). Windows installers cannot be built here.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
const { DebugLogger } = require('builder-util')

async function main() {
  const config = await getConfig(process.cwd(), 'electron-builder.yml', null)
  await validateConfiguration(config, new DebugLogger(false))
  const problems = []
  if (config.nsis?.oneClick !== false)
    problems.push('nsis.oneClick must be false (managed per-machine installs)')
  if (config.nsis?.perMachine !== true) problems.push('nsis.perMachine must be true')
  if (!config.asarUnpack?.includes('**/*.node')) problems.push('native modules must be unpacked from asar')
  const pkg = require('../package.json')
  if (config.electronVersion !== pkg.devDependencies.electron)
    problems.push('electronVersion must match the pinned electron')
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (['react', 'react-dom', '@fluentui/react-components'].includes(dep))
      problems.push(`${dep} belongs in devDependencies (bundled)`)
  }
  if (problems.length) throw new Error(problems.join('; '))
  console.log('electron-builder.yml is valid')
}

main().catch((error) => {
  console.error(`electron-builder config invalid: ${error.message}`)
  process.exit(1)
})
