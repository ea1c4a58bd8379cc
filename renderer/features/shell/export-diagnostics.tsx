import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '../../../shared/errors'
import { errorMessage } from '../../i18n/error-message'
import { settle } from '../../bridge/settle'
import { useStationContext } from '../../store/store-context'
import { CopyButton } from '../common/copy-button'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    rowGap: tokens.spacingVerticalS,
    marginLeft: 'auto',
  },
  path: { wordBreak: 'break-all', fontFamily: tokens.fontFamilyMonospace },
})

type ExportState =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved'; path: string } | { kind: 'failed'; error: ErrorInfo }

/**
 * "Export diagnostics" (footer): main writes a zip of the station log, the audit trail and station details (no PIN,
 * key, challenge or response is in any of them) where the operator chooses (Electron: a save dialog; the preview: the
 * data folder), and answers only where it went; the confirmation shows that place, to copy for the help desk.
 */
export function ExportDiagnostics(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station } = useStationContext()
  const [state, setState] = useState<ExportState>({ kind: 'idle' })
  const busy = state.kind === 'busy'

  const run = async () => {
    if (busy) return
    setState({ kind: 'busy' })
    const result = await settle(() => station.app.exportDiagnostics())
    if (!result.ok) setState({ kind: 'failed', error: result.error })
    else if (result.value.status === 'saved') setState({ kind: 'saved', path: result.value.path })
    else setState({ kind: 'idle' })
  }

  return (
    <div className={styles.root}>
      <Tooltip content={t('diagnostics.hint')} relationship="description">
        <Button
          size="small"
          appearance="subtle"
          data-testid="export-diagnostics"
          disabledFocusable={busy}
          aria-busy={busy}
          onClick={() => void run()}
        >
          {busy ? t('diagnostics.exporting') : t('diagnostics.export')}
        </Button>
      </Tooltip>
      {state.kind === 'saved' && (
        <MessageBar intent="success" layout="multiline" politeness="polite" data-testid="diagnostics-saved">
          <MessageBarBody>
            <MessageBarTitle>{t('diagnostics.savedTitle')}</MessageBarTitle>
            <span className={styles.path} data-testid="diagnostics-path" data-path={state.path}>
              {t('diagnostics.savedTo', { path: state.path })}
            </span>
          </MessageBarBody>
          <MessageBarActions>
            <CopyButton text={state.path} label={t('diagnostics.copyPath')} />
            <Button size="small" onClick={() => setState({ kind: 'idle' })}>
              {t('diagnostics.dismiss')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {state.kind === 'failed' && (
        <MessageBar
          intent="error"
          layout="multiline"
          politeness="assertive"
          data-testid="diagnostics-failed"
          data-code={state.error.code}
        >
          <MessageBarBody>
            <MessageBarTitle>{t('diagnostics.failedTitle')}</MessageBarTitle>
            {errorMessage(t, state.error)}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => setState({ kind: 'idle' })}>
              {t('diagnostics.dismiss')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </div>
  )
}
