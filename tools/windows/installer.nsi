; The Windows installer of Liaison Desk (联络员工作台), built by tools/windows/build.sh with makensis:
;
;   makensis -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DSRCDIR=dist/windows/LiaisonDesk -DFILELIST=build/windows/installed-files.nsh
;            -DICON=resources/icons/liaison-desk.ico -DOUTFILE=dist/LiaisonDesk-0.1.0-setup.exe installer.nsi
;
; Per user, without administrator rights: into %LOCALAPPDATA%\Programs\LiaisonDesk, a Start-menu shortcut (a desktop
; one is optional), the uninstall entry under HKCU. Chinese pages. Silent for IT staff: `setup.exe /S` (add
; /NODESKTOP for no desktop shortcut, /D=FOLDER, last, for another folder). The uninstaller deletes exactly the files
; this installer put there (FILELIST, generated from the build) and never the user's workspaces, which live in
; %LOCALAPPDATA%\LiaisonDesk.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true
RequestExecutionLevel user

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define APPNAME "联络员工作台"
!define APPKEY "LiaisonDesk"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define PRODUCTKEY "Software\${APPKEY}"

Name "${APPNAME} ${VERSION}"
Caption "${APPNAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
InstallDirRegKey HKCU "${PRODUCTKEY}" "InstallDir"
BrandingText "Liaison Desk ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "联络员工作台 Liaison Desk"
VIAddVersionKey /LANG=2052 "FileDescription" "联络员工作台 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "Liaison Desk"
VIAddVersionKey /LANG=2052 "LegalCopyright" "Liaison Desk"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "本向导将在当前用户的文件夹中安装 ${APPNAME} ${VERSION}，不需要管理员权限。$\r$\n$\r$\n\
您的工作区保存在 %LOCALAPPDATA%\${APPKEY}，与程序分开：升级或卸载程序都不会改动它。$\r$\n$\r$\n\
点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\liaison-desk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "运行${APPNAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从 $INSTDIR 删除${APPNAME}的程序文件和快捷方式。$\r$\n\
您的工作区（%LOCALAPPDATA%\${APPKEY}：数据库、证据库、材料包、备份）保留不动；不再需要时可以自己删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "${APPNAME}（必需）" SecProgram
  SectionIn RO
  SetShellVarContext current
  ; An earlier version in the same folder: its own uninstaller removes its files first (the workspace stays).
  ${If} ${FileExists} "$INSTDIR\uninstall.exe"
    ExecWait '"$INSTDIR\uninstall.exe" /S _?=$INSTDIR'
    Delete "$INSTDIR\uninstall.exe"
  ${EndIf}
  SetOutPath "$INSTDIR"
  SetOverwrite on
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\liaison-desk.exe" "" "$INSTDIR\liaison-desk.exe" 0 \
    SW_SHOWNORMAL "" "联络员工作台：任务、佐证材料、月度案例和材料包"

  WriteRegStr HKCU "${PRODUCTKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME} Liaison Desk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Liaison Desk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\liaison-desk.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Section "桌面快捷方式" SecDesktop
  SetShellVarContext current
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\liaison-desk.exe" "" "$INSTDIR\liaison-desk.exe" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "程序文件和“开始”菜单快捷方式。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在桌面上放一个快捷方式。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ; setup.exe /S /NODESKTOP: a silent install without the desktop shortcut.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/NODESKTOP" $1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only the files the installer put there (generated from the build), so an install folder the user chose that
  ; also holds other files keeps them; the workspace folder is never named here.
  !include "${FILELIST}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "${PRODUCTKEY}"
SectionEnd
