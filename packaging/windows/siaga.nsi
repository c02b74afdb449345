; The Siaga 110 desk's Windows installer (docs/decisions/0021), made by `./dev bundle-windows` with Debian's
; makensis from the cross-built release: per machine, Start menu entry, uninstaller in Apps & features.
;   makensis -DVERSION=0.1.0 -DSOURCE=<folder with siaga.exe, WebView2Loader.dll, icon.ico, LICENSE.txt>
;            -DOUTFILE=<installer.exe> [-DWEBVIEW2_INSTALLER=<MicrosoftEdgeWebView2RuntimeInstallerX64.exe>]
; Silent (`/S`) is how a desk updates itself; `/RELAUNCH` starts the desk again when done. The user's data
; (%APPDATA%\siaga-110: setup, store key) is never touched, also not by the uninstaller.

Unicode true
!ifndef VERSION | SOURCE | OUTFILE
  !error "usage: makensis -DVERSION=x.y.z -DSOURCE=folder -DOUTFILE=installer.exe packaging/windows/siaga.nsi"
!endif

!define PRODUCT "Siaga 110"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Siaga110"
; The WebView2 runtime's client id (the same on every Windows).
!define WEBVIEW2_CLIENT "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "Software\${PRODUCT}" "InstallDir"
RequestExecutionLevel admin
!ifdef NO_COMPRESSION
  ; The test command's installer of a debug build: made in seconds, never shipped.
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Pusat komando layanan darurat 110"
VIAddVersionKey /LANG=0 "LegalCopyright" "Apache-2.0"

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${SOURCE}\icon.ico"
!define MUI_UNICON "${SOURCE}\icon.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\siaga.exe"
!insertmacro MUI_PAGE_LICENSE "${SOURCE}\LICENSE.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"

LangString NeedX64 ${LANG_INDONESIAN} "Siaga 110 memerlukan Windows 64-bit."
LangString NeedX64 ${LANG_ENGLISH} "Siaga 110 needs 64-bit Windows."
LangString NoWebView2 ${LANG_INDONESIAN} "Komputer ini belum memiliki Microsoft Edge WebView2 Runtime, yang dibutuhkan Siaga 110. Minta admin Polda memasangnya (atau pemasang Siaga yang membawanya), lalu ulangi."
LangString NoWebView2 ${LANG_ENGLISH} "This computer lacks the Microsoft Edge WebView2 Runtime, which Siaga 110 needs. Ask the Polda's admin to install it (or an installer of Siaga that carries it), then try again."
LangString WebView2Failed ${LANG_INDONESIAN} "Pemasangan WebView2 Runtime gagal (kode $1)."
LangString WebView2Failed ${LANG_ENGLISH} "Installing the WebView2 Runtime failed (code $1)."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NeedX64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; An update started by the desk: give it a moment to close so its files can be replaced.
  ${If} ${Silent}
    Sleep 3000
  ${EndIf}
FunctionEnd

Function HasWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
FunctionEnd

Section "${PRODUCT}" SecMain
  SectionIn RO
  Call HasWebView2
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    !ifdef WEBVIEW2_INSTALLER
      InitPluginsDir
      File "/oname=$PLUGINSDIR\webview2-installer.exe" "${WEBVIEW2_INSTALLER}"
      ExecWait '"$PLUGINSDIR\webview2-installer.exe" /silent /install' $1
      ${If} $1 != 0
        MessageBox MB_ICONSTOP "$(WebView2Failed)" /SD IDOK
        Abort
      ${EndIf}
    !else
      MessageBox MB_ICONSTOP "$(NoWebView2)" /SD IDOK
      Abort
    !endif
  ${EndIf}

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File "${SOURCE}\siaga.exe"
  File "${SOURCE}\WebView2Loader.dll"
  File "${SOURCE}\LICENSE.txt"
  File "${SOURCE}\icon.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\siaga.exe" "" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "Software\${PRODUCT}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Siaga 110"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/RELAUNCH" $R1
  ${IfNot} ${Errors}
    Exec '"$INSTDIR\siaga.exe"'
  ${EndIf}
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\siaga.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\${PRODUCT}"
SectionEnd
