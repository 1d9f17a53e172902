; The Windows installer of 积分超市 (Jifen), built by scripts/build-windows with Debian's
; makensis:  makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DDIST=/abs/dist/windows jifen.nsi
;
; - 64-bit installer (the program is 64-bit; Windows 7 SP1 x64 through 11).
; - Installs into Program Files; the data stays in %ProgramData%\Jifen (see src/platform.rs
;   for why not %LOCALAPPDATA%). Neither the uninstaller nor an upgrade ever touches the data.
; - An upgrade is installing the new version over the old one: the files are replaced, the
;   data is kept, and the program itself, on its first start, backs the store up and runs the
;   new migrations behind a progress window (src/ui/upgrade.rs).
; - Silent for scripts and CI: /S (and /D=C:\path as the last argument for another folder).

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef DIST
  !error "pass -DDIST=<folder holding jifen.exe>"
!endif

!define APP "积分超市"
!define REG_UNINSTALL "Software\Microsoft\Windows\CurrentVersion\Uninstall\Jifen"
!define REG_APP "Software\Jifen"

Name "${APP}"
Caption "${APP} ${VERSION} 安装"
UninstallCaption "${APP} 卸载"
OutFile "${DIST}/${APP}-安装-${VERSION}.exe"
InstallDir "$PROGRAMFILES64\Jifen"
InstallDirRegKey HKLM "${REG_APP}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

Var COMMON_DATA

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define MUI_ICON "jifen.ico"
!define MUI_UNICON "jifen.ico"
!define MUI_ABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP}"
!define MUI_WELCOMEPAGE_TEXT "${APP}是村积分超市的柜台软件：兑换、库存、积分公示和小票打印。$\r$\n$\r$\n如果这台电脑已经装过${APP}，安装新版本会保留全部数据；新版本第一次打开时会先自动备份数据，再升级数据库。$\r$\n$\r$\n安装前请关闭正在运行的${APP}。点“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP}已经装好"
!define MUI_FINISHPAGE_TEXT "桌面和“开始”菜单里有“${APP}”图标。$\r$\n$\r$\n数据保存在 $COMMON_DATA 文件夹里，卸载或升级都不会删除它。请定期用“备份”把数据存到U盘。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\jifen.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${APP}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "卸载只删除程序和图标，不删除数据：兑换记录、积分和库存仍保存在 $COMMON_DATA，重新安装后会自动使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"


Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP}需要 64 位 Windows（Windows 7 SP1 64 位或更新的版本）。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $COMMON_DATA "$APPDATA\Jifen"
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  StrCpy $COMMON_DATA "$APPDATA\Jifen"
FunctionEnd

Section "${APP}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"

  ; A running counter holds jifen.exe open and Windows will not replace it: ask, never kill
  ; it (it may be in the middle of a redemption).
  ${DoWhile} ${FileExists} "$INSTDIR\jifen.exe"
    ClearErrors
    Delete "$INSTDIR\jifen.exe"
    ${IfNot} ${Errors}
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP}正在运行。请先在柜台上完成当前兑换并关闭${APP}，再点“重试”。" /SD IDCANCEL IDRETRY +2
    Abort "${APP}正在运行，没有安装。"
  ${Loop}

  File "${DIST}/jifen.exe"
  File "jifen.ico"
  File "/oname=字体许可-文泉驿微米黑.txt" "../../assets/fonts/LICENSE-wqy-microhei.txt"
  File "/oname=字体许可-思源黑体.txt" "../../assets/fonts/LICENSE-noto-cjk.txt"

  ; The data folder, shared by every Windows account on this PC: created here, where we run
  ; as administrator, and made writable for all local users (S-1-5-32-545, "Users", by its
  ; SID so it works on any language of Windows). Existing data is never touched.
  CreateDirectory "$COMMON_DATA"
  nsExec::ExecToLog 'icacls "$COMMON_DATA" /grant *S-1-5-32-545:(OI)(CI)M'
  Pop $0

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortCut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\jifen.exe" "" "$INSTDIR\jifen.ico" 0
  CreateShortCut "$SMPROGRAMS\${APP}\卸载${APP}.lnk" "$INSTDIR\uninstall.exe" "" "$INSTDIR\uninstall.exe" 0
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\jifen.exe" "" "$INSTDIR\jifen.ico" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${REG_APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REG_APP}" "Version" "${VERSION}"
  WriteRegStr HKLM "${REG_APP}" "DataDir" "$COMMON_DATA"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayIcon" "$INSTDIR\jifen.ico"
  WriteRegStr HKLM "${REG_UNINSTALL}" "Publisher" "积分超市项目"
  WriteRegStr HKLM "${REG_UNINSTALL}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${REG_UNINSTALL}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${REG_UNINSTALL}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${REG_UNINSTALL}" "NoModify" 1
  WriteRegDWORD HKLM "${REG_UNINSTALL}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only what the installer put here, by name: never RMDir /r, never the data folder.
  Delete "$INSTDIR\jifen.exe"
  Delete "$INSTDIR\jifen.ico"
  Delete "$INSTDIR\字体许可-文泉驿微米黑.txt"
  Delete "$INSTDIR\字体许可-思源黑体.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP}\卸载${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  Delete "$DESKTOP\${APP}.lnk"
  DeleteRegKey HKLM "${REG_UNINSTALL}"
  DeleteRegKey HKLM "${REG_APP}"
  DetailPrint "数据仍保存在 $COMMON_DATA"
SectionEnd
