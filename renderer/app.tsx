import { FluentProvider, webLightTheme } from '@fluentui/react-components'
import type { i18n as I18n } from 'i18next'
import type { ReactNode } from 'react'
import { I18nextProvider } from 'react-i18next'
import { AppShell } from './features/shell/app-shell'
import { StationProvider, type StationContextValue } from './store/store-context'

/** Props of {@link App}: everything is injected, so tests render the same tree with a fake station. */
export interface AppProps {
  context: StationContextValue
  i18n: I18n
}

/** The root component: providers around the shell. */
export function App({ context, i18n }: AppProps): ReactNode {
  return (
    <I18nextProvider i18n={i18n}>
      <StationProvider value={context}>
        <FluentProvider theme={webLightTheme}>
          <AppShell />
        </FluentProvider>
      </StationProvider>
    </I18nextProvider>
  )
}
