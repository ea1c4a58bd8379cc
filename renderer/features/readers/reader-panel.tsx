import {
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useCallback, useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { runCardAction, trainingControls } from '../../store/reader-actions'
import type { CardAction } from '../../store/reader-slice'
import { useStationContext, useStationState } from '../../store/store-context'
import { ReaderRow } from './reader-row'
import { ServiceState } from './service-state'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
})

/** The live reader panel: PC/SC service state and every reader, updated from `reader:changed` only. */
export function ReaderPanel(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const headingId = useId()
  const { station, store } = useStationContext()
  const snapshot = useStationState((s) => s.readers.snapshot)
  const loadError = useStationState((s) => s.readers.loadError)
  const pending = useStationState((s) => s.readers.pending)
  const actionError = useStationState((s) => s.readers.actionError)
  // Insert/Remove appear only when the host exposes the training controls (feature-detected).
  const canControl = trainingControls(station) !== null
  const onAction = useCallback(
    (reader: string, action: CardAction) => void runCardAction(station, store, reader, action),
    [station, store],
  )

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Title2 as="h2" id={headingId} className={styles.heading}>
        {t('readers.heading')}
      </Title2>
      {snapshot ? (
        <ServiceState state={snapshot.service} readerCount={snapshot.readers.length} />
      ) : loadError ? (
        <MessageBar intent="error" data-testid="reader-load-error">
          <MessageBarBody>{t('readers.loadFailed', { message: errorMessage(t, loadError) })}</MessageBarBody>
        </MessageBar>
      ) : (
        <Spinner size="small" labelPosition="after" label={t('readers.loading')} />
      )}
      {actionError ? (
        <MessageBar intent="error" politeness="polite" data-testid="reader-action-error">
          <MessageBarBody>
            {t('readers.actionFailed', {
              reader: actionError.reader,
              message: errorMessage(t, actionError.error),
            })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {/* Always mounted so screen readers announce cards being inserted and removed (polite live region). */}
      <ul className={styles.list} aria-live="polite" aria-labelledby={headingId} data-testid="reader-list">
        {(snapshot?.readers ?? []).map((reader) => (
          <ReaderRow
            key={reader.name}
            reader={reader}
            pending={pending[reader.name]}
            {...(canControl && reader.kind === 'virtual'
              ? { onCardAction: (action: CardAction) => onAction(reader.name, action) }
              : {})}
          />
        ))}
      </ul>
      <ReaderFilterNote />
    </section>
  )
}

/** The readers configuration, so a missing reader is explained (field report: platform authenticators are hidden). */
function ReaderFilterNote(): ReactNode {
  const { t } = useTranslation()
  const filter = useStationState((s) => s.app.info?.readerFilter)
  if (!filter || (filter.allow.length === 0 && filter.deny.length === 0)) return null
  const quote = (names: string[]) => names.map((n) => `“${n}”`).join(', ')
  return (
    <Text size={200} data-testid="reader-filter">
      {filter.deny.length > 0 ? t('readers.denied', { names: quote(filter.deny) }) : null}
      {filter.deny.length > 0 && filter.allow.length > 0 ? ' ' : null}
      {filter.allow.length > 0 ? t('readers.allowedOnly', { names: quote(filter.allow) }) : null}
    </Text>
  )
}
