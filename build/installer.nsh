; Included by electron-builder's NSIS installer AND its uninstaller build (electron-builder.yml nsis.include;
; app-builder-lib templates/nsis: customInit runs in .onInit, customInstall in the install section, customUnInstall
; in the uninstall section). electron-builder compiles with -WX: everything here must compile warning-free in
; both builds, so install-only variables and functions are inside !ifndef BUILD_UNINSTALLER.
;
; Machine defaults for managed desks (field-notes section 5): IT passes
;   /CMURL="https://cm.contoso.com/CertificateManagement" /KIOSK=1 /LANG=pt-BR
; on the installer command line (before /D=, which must come last) and the installer writes
;   %ProgramData%\CMEnrollment\CM Enrollment Station\station.json
; with only the keys given ({"cm": {"appRoot": ...}, "kiosk": true|false, "language": ...}, the keys of
; electron/services/config.ts). No parameter: the file is left as it is. A bad parameter stops the installer
; before it changes anything (exit code 2, the reason in %TEMP%\CM Enrollment Station setup.log). The values are
; restricted to characters JSON never escapes, so they are written as they are. The uninstaller never deletes
; the file: IT owns it.

!include LogicLib.nsh
!include FileFunc.nsh

; %ProgramData%\<vendor>\<product>: the vendor folder keeps the machine defaults out of electron-builder's
; "$APPDATA\<product>" data folders, and it is the folder whose permissions the installer locks.
!define STATION_VENDOR_DIR "CMEnrollment"
!define STATION_PRODUCT_DIR "CM Enrollment Station"
!define STATION_DEFAULTS_FILE "station.json"
; Characters a CM address may use: RFC 3986 unreserved and reserved characters and %, without $ (NSIS) and
; without anything JSON escapes (quote, backslash, controls).
!define STATION_URL_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!&'()*+,;=%"

!ifndef BUILD_UNINSTALLER
  Var StationCmUrl ; "" when not given
  Var StationKiosk ; "", "true" or "false"
  Var StationLang ; "", "en", "pt-BR" or "nl-NL"

  ; Stops the installer before it changes anything: the reason ($R0) goes to a message box (skipped when
  ; silent) and to %TEMP%\CM Enrollment Station setup.log; exit code 2 (NSIS: aborted by the script).
  Function StationRefuse
    ClearErrors
    FileOpen $R9 "$TEMP\${STATION_PRODUCT_DIR} setup.log" a
    ${IfNot} ${Errors}
      FileSeek $R9 0 END
      FileWrite $R9 "$R0$\r$\n"
      FileClose $R9
    ${EndIf}
    MessageBox MB_OK|MB_ICONSTOP "$R0" /SD IDOK
    SetErrorLevel 2
    Quit
  FunctionEnd

  ; $R1 = "1" when every character of $R0 is in STATION_URL_CHARS, else "0".
  Function StationUrlCharsAllowed
    Push $R2
    Push $R3
    Push $R4
    Push $R5
    StrCpy $R1 "1"
    StrCpy $R2 0
    ${Do}
      StrCpy $R3 $R0 1 $R2
      ${If} $R3 == ""
        ${Break}
      ${EndIf}
      StrCpy $R4 0
      ${Do}
        StrCpy $R5 "${STATION_URL_CHARS}" 1 $R4
        ${If} $R5 == ""
          StrCpy $R1 "0"
          ${Break}
        ${EndIf}
        ${If} $R3 S== $R5
          ${Break}
        ${EndIf}
        IntOp $R4 $R4 + 1
      ${Loop}
      ${If} $R1 == "0"
        ${Break}
      ${EndIf}
      IntOp $R2 $R2 + 1
    ${Loop}
    Pop $R5
    Pop $R4
    Pop $R3
    Pop $R2
  FunctionEnd

  ; Reads /CMURL=, /KIOSK= and /LANG= (GetOptions: case-insensitive names; a value ends at the next "/" unless
  ; quoted, so the address must be quoted) into the Station* variables, refusing a bad value.
  Function StationReadParameters
    Push $R0
    Push $R1
    Push $R2
    Push $R3
    Push $R8
    StrCpy $StationCmUrl ""
    StrCpy $StationKiosk ""
    StrCpy $StationLang ""
    ${GetParameters} $R8

    ${GetOptions} $R8 "/CMURL=" $R0
    ${IfNot} ${Errors}
      StrCpy $R2 $R0 8
      StrCpy $R3 $R0 7
      ${If} $R2 == "https://"
        StrCpy $R1 $R0 1 8
      ${ElseIf} $R3 == "http://"
        StrCpy $R1 $R0 1 7
      ${Else}
        StrCpy $R1 ""
      ${EndIf}
      ${If} $R1 == ""
      ${OrIf} $R1 == "/"
        StrCpy $R0 '/CMURL must be the CM address in quotes, e.g. /CMURL="https://cm.contoso.com/CertificateManagement"'
        Call StationRefuse
      ${EndIf}
      StrLen $R1 $R0
      ${If} $R1 > 2048
        StrCpy $R0 "/CMURL is longer than 2048 characters."
        Call StationRefuse
      ${EndIf}
      Call StationUrlCharsAllowed
      ${If} $R1 != "1"
        StrCpy $R0 "/CMURL has a character an address cannot carry (quotes, backslashes, spaces and $$ are refused)."
        Call StationRefuse
      ${EndIf}
      StrCpy $StationCmUrl $R0
    ${EndIf}

    ${GetOptions} $R8 "/KIOSK=" $R0
    ${IfNot} ${Errors}
      ${If} $R0 == "1"
      ${OrIf} $R0 == "true"
      ${OrIf} $R0 == "yes"
        StrCpy $StationKiosk "true"
      ${ElseIf} $R0 == "0"
      ${OrIf} $R0 == "false"
      ${OrIf} $R0 == "no"
        StrCpy $StationKiosk "false"
      ${Else}
        StrCpy $R0 "/KIOSK must be 1 or 0."
        Call StationRefuse
      ${EndIf}
    ${EndIf}

    ${GetOptions} $R8 "/LANG=" $R0
    ${IfNot} ${Errors}
      ; == is case-insensitive: the value is written in the spelling the station expects.
      ${If} $R0 == "en"
        StrCpy $StationLang "en"
      ${ElseIf} $R0 == "pt-BR"
        StrCpy $StationLang "pt-BR"
      ${ElseIf} $R0 == "nl-NL"
        StrCpy $StationLang "nl-NL"
      ${Else}
        StrCpy $R0 "/LANG must be en, pt-BR or nl-NL."
        Call StationRefuse
      ${EndIf}
    ${EndIf}
    Pop $R8
    Pop $R3
    Pop $R2
    Pop $R1
    Pop $R0
  FunctionEnd

  ; Creates %ProgramData%\CMEnrollment with permissions only administrators and SYSTEM can write (users
  ; read), when it does not exist yet: ProgramData lets every user create folders and files, so without this a
  ; standard user could plant station.json before IT does. An existing folder keeps the permissions IT gave it.
  ; Then writes station.json when a parameter was given: to station.json.new, then renamed over station.json
  ; (the file it replaces is kept as station.json.previous).
  Function StationWriteMachineDefaults
    Push $0
    Push $1
    Push $2
    Push $3
    ReadEnvStr $0 ProgramData
    ${If} $0 == ""
      StrCpy $0 "$APPDATA" ; per-machine install: SetShellVarContext all, so this is the common application data
    ${EndIf}
    StrCpy $1 "$0\${STATION_VENDOR_DIR}"
    ${IfNot} ${FileExists} "$1\*.*"
      CreateDirectory "$1"
      nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$1" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
      Pop $2
      ${If} $2 != "0"
        Abort "Could not restrict the permissions of $1 (icacls: $2)."
      ${EndIf}
    ${EndIf}

    ${If} $StationCmUrl == ""
    ${AndIf} $StationKiosk == ""
    ${AndIf} $StationLang == ""
      DetailPrint "No machine defaults given (/CMURL, /KIOSK, /LANG): $1\${STATION_PRODUCT_DIR}\${STATION_DEFAULTS_FILE} is left as it is."
    ${Else}
      StrCpy $1 "$1\${STATION_PRODUCT_DIR}"
      CreateDirectory "$1"
      StrCpy $3 ""
      ${If} $StationCmUrl != ""
        StrCpy $3 '  "cm": { "appRoot": "$StationCmUrl" }'
      ${EndIf}
      ${If} $StationKiosk != ""
        ${If} $3 != ""
          StrCpy $3 "$3,$\r$\n"
        ${EndIf}
        StrCpy $3 '$3  "kiosk": $StationKiosk'
      ${EndIf}
      ${If} $StationLang != ""
        ${If} $3 != ""
          StrCpy $3 "$3,$\r$\n"
        ${EndIf}
        StrCpy $3 '$3  "language": "$StationLang"'
      ${EndIf}
      ClearErrors
      FileOpen $2 "$1\${STATION_DEFAULTS_FILE}.new" w
      ${If} ${Errors}
        Abort "Could not write $1\${STATION_DEFAULTS_FILE}.new."
      ${EndIf}
      FileWrite $2 "{$\r$\n$3$\r$\n}$\r$\n"
      FileClose $2
      ${If} ${FileExists} "$1\${STATION_DEFAULTS_FILE}"
        Delete "$1\${STATION_DEFAULTS_FILE}.previous"
        Rename "$1\${STATION_DEFAULTS_FILE}" "$1\${STATION_DEFAULTS_FILE}.previous"
      ${EndIf}
      ClearErrors
      Rename "$1\${STATION_DEFAULTS_FILE}.new" "$1\${STATION_DEFAULTS_FILE}"
      ${If} ${Errors}
        Abort "Could not replace $1\${STATION_DEFAULTS_FILE}."
      ${EndIf}
      DetailPrint "Machine defaults written to $1\${STATION_DEFAULTS_FILE}."
    ${EndIf}
    Pop $3
    Pop $2
    Pop $1
    Pop $0
  FunctionEnd
!endif

; .onInit, before anything is installed: a bad parameter stops here.
!macro customInit
  Call StationReadParameters
!macroend

!macro customInstall
  Call StationWriteMachineDefaults
!macroend

; The machine defaults stay: IT owns them (and an upgrade runs this uninstaller too).
!macro customUnInstall
  DetailPrint "Kept the machine defaults in %ProgramData%\${STATION_VENDOR_DIR}\${STATION_PRODUCT_DIR} (IT owns them)."
!macroend
