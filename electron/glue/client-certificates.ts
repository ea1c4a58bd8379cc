import type { App } from 'electron'

/**
 * Never answer a TLS client-certificate request automatically. From Electron 44, net requests also raise
 * 'select-client-certificate', and when unhandled Electron picks the FIRST matching certificate from the
 * platform store — on an enrollment desk that can be the certificate of the holder's card in the reader
 * (field-notes §4). CM authenticates the operator with Windows Integrated Authentication, not with a
 * client certificate, so the station sends none.
 */
export function refuseClientCertificates(app: Pick<App, 'on'>): void {
  app.on('select-client-certificate', (event, _webContents, _url, _list, callback) => {
    event.preventDefault()
    callback()
  })
}
