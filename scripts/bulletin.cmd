@echo off
rem bulletin on a Windows office PC, without make: creates the virtual environment on first use,
rem then runs one bulletin command (bulletin.cmd validate, bulletin.cmd import --inbox inbox ...)
rem or, without arguments, offers the monthly commands as a menu. See docs/guide/windows.md.
setlocal EnableExtensions
chcp 65001 >nul
cd /d "%~dp0.."
set "VENV=.venv"
set "PY=%VENV%\Scripts\python.exe"

if exist "%PY%" goto ready
echo 第一次使用：正在建立 Python 环境（%VENV%），需要几分钟……
set "BASE="
where py >nul 2>nul && py -3.11 -c "import sys" >nul 2>nul && set "BASE=py -3.11"
if not defined BASE where python >nul 2>nul && python -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" >nul 2>nul && set "BASE=python"
if not defined BASE (
  echo 没有找到 Python 3.11。请先安装 Python 3.11（安装时勾选“Add python.exe to PATH”），再运行本脚本。
  exit /b 2
)
%BASE% -m venv "%VENV%" || exit /b 1
set "FROM="
if exist "wheelhouse-win\" set "FROM=--no-index --find-links wheelhouse-win"
"%PY%" -m pip install --quiet --disable-pip-version-check %FROM% --require-hashes -r requirements\runtime.txt || goto failed
"%PY%" -m pip install --quiet --disable-pip-version-check %FROM% --no-deps -e . || goto failed
echo Python 环境已建立。

:ready
if not "%~1"=="" (
  "%PY%" -m site_builder %*
  exit /b %ERRORLEVEL%
)

:menu
echo.
echo   1  校验数据（validate）
echo   2  开始新的月份（new-month）
echo   3  生成各地区的 Excel 报表（forms，放在“报表”文件夹）
echo   4  导入收件箱 inbox 中的全部报表（import --inbox inbox）
echo   5  预览网站（serve，按 Ctrl+C 停止）
echo   6  发布通报（publish）
echo   0  退出
set "CHOICE="
set /p "CHOICE=请选择："
if "%CHOICE%"=="0" exit /b 0
if "%CHOICE%"=="1" "%PY%" -m site_builder validate & goto menu
if "%CHOICE%"=="5" "%PY%" -m site_builder serve & goto menu
if "%CHOICE%"=="4" "%PY%" -m site_builder import --inbox inbox & goto menu
set "MONTH="
set /p "MONTH=月份（如 2011-10）："
if "%CHOICE%"=="2" "%PY%" -m site_builder new-month "%MONTH%" & goto menu
if "%CHOICE%"=="3" "%PY%" -m site_builder forms "%MONTH%" --out 报表 & goto menu
if "%CHOICE%"=="6" (
  set "ON="
  set /p "ON=印发日期（如 2011-11-08，直接回车为今天）："
  call :publish
  goto menu
)
goto menu

:publish
if defined ON ("%PY%" -m site_builder publish "%MONTH%" --date "%ON%") else ("%PY%" -m site_builder publish "%MONTH%")
exit /b

:failed
echo 安装没有完成（网络或软件源不可用？）。删除 %VENV% 文件夹后重新运行本脚本；没有外网时请向维护人员要 wheelhouse-win 文件夹。
exit /b 1
