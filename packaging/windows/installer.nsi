; The per-user installer of tinnhiem for Windows 10/11, built on Linux by NSIS' makensis
; (packaging/windows/package.sh passes VERSION, STAGE and OUTFILE). It installs into the
; user's own %LOCALAPPDATA%\Programs\tinnhiem, so it needs no administrator rights; adds a
; Start-menu shortcut and an uninstaller listed in "Apps & features". The user's sessions and
; %APPDATA%\tinnhiem (recovery copies, recent files) are never touched by the uninstaller.
; A 64-bit installer for a 64-bit program (and one Wine 64 runs without 32-bit support).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

Name "tinnhiem ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\tinnhiem"
InstallDirRegKey HKCU "Software\tinnhiem" "InstallDir"
BrandingText "tinnhiem ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "tinnhiem"
VIAddVersionKey /LANG=0 "FileDescription" "tinnhiem ${VERSION} — trình cài đặt / setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${STAGE}\tinnhiem.ico"
!define MUI_UNICON "${STAGE}\tinnhiem.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\tinnhiem.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\tinnhiem"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Section "tinnhiem"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\tinnhiem.exe"
  File "${STAGE}\tinnhiem-cli.exe"
  File "${STAGE}\tinnhiem.ico"
  File "${STAGE}\README.md"
  File "${STAGE}\README.txt"
  File "${STAGE}\Huong-dan-su-dung.pdf"
  SetOutPath "$INSTDIR\licenses"
  File /r "${STAGE}\licenses\*"
  SetOutPath "$INSTDIR\examples"
  File /r "${STAGE}\examples\*"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\tinnhiem.lnk" "$INSTDIR\tinnhiem.exe" "" "$INSTDIR\tinnhiem.ico" 0
  WriteRegStr HKCU "Software\tinnhiem" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "tinnhiem ${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "tinnhiem"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\tinnhiem.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\tinnhiem.lnk"
  Delete "$INSTDIR\tinnhiem.exe"
  Delete "$INSTDIR\tinnhiem-cli.exe"
  Delete "$INSTDIR\tinnhiem.ico"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\Huong-dan-su-dung.pdf"
  ; The guide as Markdown, shipped before the PDF.
  Delete "$INSTDIR\huong-dan-su-dung.md"
  RMDir /r "$INSTDIR\licenses"
  RMDir /r "$INSTDIR\examples"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\tinnhiem"
SectionEnd
