import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApprovedRequestView } from '../../../../shared/domain/enrollment'
import type { ErrorInfo } from '../../../../shared/errors'
import { settle } from '../../../bridge/settle'
import { errorMessage } from '../../../i18n/error-message'
import { useStationContext } from '../../../store/store-context'
import { formatInstant } from '../../common/format'
import { PersonName } from '../../directory/person-name'
import { TemplateName } from '../template-name'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
  },
  option: {
    width: '100%',
    justifyContent: 'flex-start',
    textAlign: 'start',
    height: 'auto',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  lines: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    fontWeight: tokens.fontWeightRegular,
  },
  muted: { color: tokens.colorNeutralForeground3 },
})

type Load =
  | { phase: 'loading' }
  | { phase: 'failed'; error: ErrorInfo }
  | { phase: 'loaded'; requests: ApprovedRequestView[] }

/** Way (c): approved Enroll requests (`enrollment:list-approved-requests`); picking one starts it by request id. */
export function ApprovedRequests(props: { busy: boolean; onPick: (requestId: string) => void }): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const { station } = useStationContext()
  const [load, setLoad] = useState<Load>({ phase: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let current = true
    void settle(() => station.enrollment.listApprovedRequests()).then((result) => {
      if (current)
        setLoad(
          result.ok ? { phase: 'loaded', requests: result.value } : { phase: 'failed', error: result.error },
        )
    })
    return () => {
      current = false
    }
  }, [station, attempt])

  const refresh = (): void => {
    setLoad({ phase: 'loading' })
    setAttempt((n) => n + 1)
  }

  return (
    <div className={styles.root}>
      {load.phase === 'loading' ? (
        <Spinner size="tiny" labelPosition="after" label={t('start.loadingApproved')} />
      ) : null}
      {load.phase === 'failed' ? (
        <MessageBar intent="error" data-testid="approved-error">
          <MessageBarBody>
            {t('start.approvedFailed', { message: errorMessage(t, load.error) })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {load.phase === 'loaded' && load.requests.length === 0 ? (
        <Text data-testid="approved-none">{t('start.noApproved')}</Text>
      ) : null}
      {load.phase === 'loaded' && load.requests.length > 0 ? (
        <ul className={styles.list}>
          {load.requests.map((request) => (
            <li key={request.requestId}>
              <Button
                className={styles.option}
                data-testid="approved-request"
                data-request-id={request.requestId}
                disabledFocusable={props.busy}
                onClick={() => props.onPick(request.requestId)}
              >
                <span className={styles.lines}>
                  <Text weight="semibold">
                    <PersonName uuid={request.targetUserUuid} withAccount />
                  </Text>
                  <Text size={200}>
                    <TemplateName templateId={request.templateId} />
                  </Text>
                  <Text size={200} className={styles.muted}>
                    {request.submitted
                      ? t('start.submitted', { time: formatInstant(request.submitted, i18n.language) })
                      : t('start.submittedUnknown')}
                    {request.hasCard ? ` · ${t('start.hasCard')}` : ''}
                  </Text>
                </span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {load.phase !== 'loading' ? (
        <div>
          <Button size="small" data-testid="refresh-approved" onClick={refresh}>
            {t('start.refreshApproved')}
          </Button>
        </div>
      ) : null}
    </div>
  )
}
