import {
  Badge,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import type { TFunction } from 'i18next'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CmConnectionState, CmConnectionStatus } from '../../../shared/domain/cm-connection'
import { assertNever } from '../../../shared/result'
import { errorMessage } from '../../i18n/error-message'
import { checkCmConnection } from '../../store/cm-connection-sync'
import { useStationContext, useStationState } from '../../store/store-context'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
  },
  text: { display: 'flex', flexDirection: 'column' },
  checkedAt: { color: tokens.colorNeutralForeground3 },
})

/** One short line for a status: what the operator reads first. */
export function cmStatusText(t: TFunction, status: CmConnectionStatus): string {
  const { host, training } = status
  const state: CmConnectionState = status.state
  switch (state) {
    case 'checking':
      return training ? t('cmConnection.trainingChecking') : t('cmConnection.checkingFirst', { host })
    case 'connected':
      return training ? t('cmConnection.trainingConnected') : t('cmConnection.connected', { host })
    case 'sign-in-failed':
      return training ? t('cmConnection.trainingProblem') : t('cmConnection.signInFailed', { host })
    case 'unreachable':
      return training ? t('cmConnection.trainingProblem') : t('cmConnection.unreachable', { host })
    case 'server-error':
      return training ? t('cmConnection.trainingProblem') : t('cmConnection.serverError', { host })
    default:
      return assertNever(state)
  }
}

/** What a failed status means and what to do, in full (the banner under the header). */
export function cmStatusDetail(t: TFunction, status: CmConnectionStatus): string | null {
  const { host } = status
  switch (status.state) {
    case 'checking':
    case 'connected':
      return null
    case 'sign-in-failed':
      return t('cmConnection.signInFailedDetail', { host })
    case 'unreachable':
      return t('cmConnection.unreachableDetail', { host })
    case 'server-error':
      return t('cmConnection.serverErrorDetail', {
        host,
        message: errorMessage(t, {
          code: status.code ?? 'server-error',
          ...(status.correlationId ? { correlationId: status.correlationId } : {}),
        }),
      })
    default:
      return assertNever(status.state)
  }
}

function badgeColor(state: CmConnectionState): 'success' | 'danger' | 'informative' {
  if (state === 'connected') return 'success'
  return state === 'checking' ? 'informative' : 'danger'
}

/**
 * The header's CM status — where the operator looks first: "Connected to cm.contoso.com", "Windows sign-in failed
 * for cm.contoso.com", "cm.contoso.com unreachable" — with when it was checked and **Check again**. While a check
 * runs, the last result stays and the button says "Checking…" (still focusable, so the keyboard focus stays put).
 */
export function CmStatus(): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const status = useStationState((s) => s.cmConnection.status)
  const result = useStationState((s) => s.cmConnection.result)
  if (!status) return null
  const checking = status.state === 'checking'
  const shown = result ?? status
  const time = shown.checkedAt
    ? new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { timeStyle: 'short' }).format(
        new Date(shown.checkedAt),
      )
    : null
  return (
    <div
      className={styles.root}
      role="group"
      aria-label={t('cmConnection.label')}
      data-testid="cm-connection"
      data-state={shown.state}
      data-checking={checking ? 'true' : 'false'}
    >
      <Badge size="small" shape="circular" color={badgeColor(shown.state)} aria-hidden="true" />
      <div className={styles.text}>
        <Text role="status" weight="semibold" data-testid="cm-connection-text">
          {cmStatusText(t, shown)}
        </Text>
        {time ? (
          <Caption1 className={styles.checkedAt}>{t('cmConnection.checkedAt', { time })}</Caption1>
        ) : null}
      </div>
      <Button
        size="small"
        disabledFocusable={checking}
        onClick={() => void checkCmConnection(station, store)}
        data-testid="cm-check-again"
      >
        {checking ? t('cmConnection.checking') : t('cmConnection.checkAgain')}
      </Button>
    </div>
  )
}

/** Under the header while the last check failed (real CM only): the typed reason in full and what to do. */
export function CmConnectionBanner(): ReactNode {
  const { t } = useTranslation()
  const result = useStationState((s) => s.cmConnection.result)
  if (!result || result.training) return null
  const detail = cmStatusDetail(t, result)
  if (!detail) return null
  return (
    <MessageBar
      intent="error"
      layout="multiline"
      data-testid="cm-connection-banner"
      data-state={result.state}
    >
      <MessageBarBody>
        <MessageBarTitle>{cmStatusText(t, result)}</MessageBarTitle>
        {detail}
      </MessageBarBody>
    </MessageBar>
  )
}
