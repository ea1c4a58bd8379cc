import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The import direction renderer → shared ← electron/services ← electron/glue is enforced by ESLint
// zones (eslint.config.mjs). These tests prove that a drifting import fails lint, per folder.
const root = join(__dirname, '..', '..')
const eslint = new ESLint({ cwd: root })

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message)
}

describe('lint zones (import direction)', () => {
  it.each([
    'electron/services/cm/new-file.ts',
    'electron/simulator/card/new-file.ts',
    'electron/preview/new-file.ts',
    'shared/ipc/new-file.ts',
  ])('%s may not import electron', async (file) => {
    const errors = await errorsFor(file, "import { app } from 'electron'\nexport const x = app\n")
    expect(errors).toContain('no-restricted-imports')
  })

  it('glue may import electron', async () => {
    expect(
      await errorsFor('electron/glue/new-file.ts', "import { app } from 'electron'\nexport const x = app\n"),
    ).toEqual([])
  })

  it('services may not import the simulator or the composition (electron/station chooses training vs server)', async () => {
    expect(
      await errorsFor(
        'electron/services/cm/new-file.ts',
        "import { startCmSimulator } from '../../simulator/cm/index'\nexport const x = startCmSimulator\n",
      ),
    ).toContain('no-restricted-imports')
    expect(
      await errorsFor(
        'electron/services/new-file.ts',
        "import { createStation } from '../station/station'\nexport const x = createStation\n",
      ),
    ).toContain('no-restricted-imports')
  })

  it('the composition may import services and the simulator, but not electron', async () => {
    expect(
      await errorsFor(
        'electron/station/new-file.ts',
        "import { startCmSimulator } from '../simulator/cm/index'\nimport { CmClient } from '../services/cm/client'\nexport const x = [startCmSimulator, CmClient]\n",
      ),
    ).toEqual([])
    expect(
      await errorsFor(
        'electron/station/new-file.ts',
        "import { app } from 'electron'\nexport const x = app\n",
      ),
    ).toContain('no-restricted-imports')
  })

  it('services may not import glue', async () => {
    const errors = await errorsFor(
      'electron/services/new-file.ts',
      "import { installIpc } from '../glue/ipc'\nexport const x = installIpc\n",
    )
    expect(errors).toContain('no-restricted-imports')
  })

  it('shared may not import Node built-ins or main-side code', async () => {
    expect(
      await errorsFor(
        'shared/new-file.ts',
        "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n",
      ),
    ).toContain('no-restricted-imports')
    expect(
      await errorsFor(
        'shared/new-file.ts',
        "import { ReaderService } from '../electron/services/reader/reader-service'\nexport const x = ReaderService\n",
      ),
    ).toContain('no-restricted-imports')
  })

  it('the renderer may not import electron/ or Node', async () => {
    expect(
      await errorsFor(
        'renderer/features/x.tsx',
        "import { createStation } from '../../electron/station/station'\nexport const x = createStation\n",
      ),
    ).toContain('no-restricted-imports')
    expect(
      await errorsFor('renderer/features/x.tsx', "import { join } from 'node:path'\nexport const x = join\n"),
    ).toContain('no-restricted-imports')
  })
})
