import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useStationState } from '../../store/store-context'

/** Persistent warning while the station runs on the simulator: nothing issued here is a real certificate. */
export function TrainingBanner(): ReactNode {
  const { t } = useTranslation()
  const training = useStationState((s) => s.app.info?.trainingMode === true)
  if (!training) return null
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="training-banner">
      <MessageBarBody>
        <MessageBarTitle>{t('training.banner')}</MessageBarTitle>
        {t('training.detail')}
      </MessageBarBody>
    </MessageBar>
  )
}
