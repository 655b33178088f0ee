; NSIS installer for Hearth on Windows (64-bit): for all users (Program Files, needs an
; administrator) or for the current user only (%LOCALAPPDATA%\Programs, no administrator), a
; Start menu shortcut, hearth:// links, a firewall rule for private networks (all-users installs),
; an uninstaller, and an entry in "Installed apps". The installer never starts Hearth elevated.
; packaging/windows/build.ps1 runs it as
;
;   makensis /DVERSION=0.1.0 /DVERSION_QUAD=0.1.0.0 /DSOURCE_DIR=..\..\dist\hearth ^
;            /DOUTFILE=..\..\dist\Hearth-0.1.0-Setup.exe /DICON=..\..\build\windows\icons\hearth.ico hearth.nsi
;
;            [/DSIGN_COMMAND="signtool sign /sha1 … /fd SHA256 /tr … /td SHA256"]
;
; VERSION is required; the others have the defaults below (paths relative to this file).
; SIGN_COMMAND, when given, signs the uninstaller as makensis writes it into the installer
; (!uninstfinalize) and then the installer itself (!finalize); "%1" is added as the file.
; Silent installs: /S for all users, /S /CurrentUser for the current user (MultiUser.nsh).
; makensis also runs on Linux (Debian package nsis): tests/packaging compiles this script.

Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is not defined: makensis /DVERSION=x.y.z hearth.nsi"
!endif
!ifndef VERSION_QUAD
  ; VIProductVersion needs four numbers: 1.2.3 -> 1.2.3.0 (anything after a third number is cut).
  !searchparse /noerrors "${VERSION}.0.0.0" "" V1 "." V2 "." V3 "."
  !define VERSION_QUAD "${V1}.${V2}.${V3}.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\..\dist\hearth"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\Hearth-${VERSION}-Setup.exe"
!endif

!define APP_NAME "Hearth"
!define APP_ID "org.hearth.Hearth"
!define PUBLISHER "The Hearth developers"
!define EXE "hearth.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define URL_KEY "Software\Classes\hearth"
!define FIREWALL_RULE "Hearth (private networks)"

; All users or just me: MultiUser.nsh asks on a page, or takes /AllUsers or /CurrentUser.
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "Software\${APP_NAME}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "Software\${APP_NAME}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"

!include "MultiUser.nsh"
!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!ifdef SIGN_COMMAND
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
  !finalize '${SIGN_COMMAND} "%1"' = 0
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_QUAD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}, GPL-3.0-or-later"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
;  The finish page starts Hearth through Explorer, as the signed-in user and never with the
;  installer's administrator rights (a profile made elevated would belong to the administrator).
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION StartUnelevated

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Function StartUnelevated
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${EXE}"'
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the bundle's libraries whole: no file of an older version stays behind.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; hearth:// invite links open Hearth (a running Hearth takes the link over).
  WriteRegStr SHCTX "${URL_KEY}" "" "URL:Hearth invite link"
  WriteRegStr SHCTX "${URL_KEY}" "URL Protocol" ""
  WriteRegStr SHCTX "${URL_KEY}\DefaultIcon" "" '"$INSTDIR\${EXE}",0'
  WriteRegStr SHCTX "${URL_KEY}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'

  ; Discovery (mDNS) and members' direct connections, on private networks only. Adding a rule
  ; needs an administrator: a per-user install gets Windows' own prompt on first use instead.
  ${If} $MultiUser.InstallMode == "AllUsers"
    nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
    Pop $0
    nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${FIREWALL_RULE}" dir=in action=allow program="$INSTDIR\${EXE}" enable=yes profile=private'
    Pop $0
    nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${FIREWALL_RULE}" dir=in action=allow program="$INSTDIR\hearth-cli.exe" enable=yes profile=private'
    Pop $0
  ${EndIf}

  WriteRegStr SHCTX "Software\${APP_NAME}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "Software\${APP_NAME}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  ; Only what the installer put there: $INSTDIR may be a folder the user chose and shares.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\hearth-cli.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${URL_KEY}"
  ${If} $MultiUser.InstallMode == "AllUsers"
    nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
    Pop $0
  ${EndIf}
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "Software\${APP_NAME}"
  ; Profiles stay in %LOCALAPPDATA%\Hearth: wiping them is the app's own "Wipe" command.
SectionEnd
