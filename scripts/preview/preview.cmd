@echo off
rem Double-click to see the site preview in the browser. Close the window to stop.
rem Uses Python when this computer has it, otherwise Windows PowerShell (always there).
cd /d "%~dp0"
py -3 -c "import sys" >nul 2>nul && (py -3 preview.py & goto :eof)
python -c "import sys" >nul 2>nul && (python preview.py & goto :eof)
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0preview.ps1"
if errorlevel 1 pause
